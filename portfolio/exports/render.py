"""Render a portfolio document as HTML (a file, or a page in the browser) or as a PDF.

The HTML is rendered once per document; the same text becomes the HTML file, the PDF's source
and the PDF cache key (see pdf_cache). PDFs are drawn by pdfwriter, in this process for a
single download or in child processes for archives (pdf_processes).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version

from flask import current_app, render_template

from ..entries.models import PRIVACY_TIERS
from ..reviews.progress import STATES
from . import pdf_cache
from .document import PortfolioDocument
from .pdfwriter import ResourceRefused, make_fetcher, write_pdf

__all__ = ["ResourceRefused", "make_fetcher", "render_html", "render_pdf", "portfolio_source"]
TEMPLATE = "exports/document/portfolio.html"
NARROW_MEDIA = "screen and (max-width: 40rem)"


@dataclass(frozen=True)
class PortfolioSource:
    """The self-contained HTML of a portfolio, the data: URIs it may load, its PDF's cache key."""

    html: str
    allowed: frozenset[str]
    key: str


def render_html(doc: PortfolioDocument, mode: str = "file", stamp: str | None = None,
                **page) -> str:
    """The portfolio as HTML. "file": one file with inline CSS, no script, no external
    resources (also the PDF's source). "page": for the browser, under the site's CSP (the
    stylesheet linked; `page` gives back_url, back_label and download_urls)."""
    return render_template(TEMPLATE, doc=doc, states=STATES, mode=mode, stamp=stamp,
                           privacy_tiers=PRIVACY_TIERS, human_size=human_size,
                           previews=doc.previews, narrow_media=NARROW_MEDIA, **page)


def portfolio_source(doc: PortfolioDocument) -> PortfolioSource:
    """Render once: the HTML with its export time in, and a key that ignores that time."""
    marker = f"export-time-{secrets.token_hex(12)}"
    html = render_html(doc, stamp=marker)
    key = pdf_cache.cache_key(html.replace(marker, ""), doc.viewer.id, doc.audience,
                              renderer_version())
    shown_time = current_app.jinja_env.filters["datetime"](doc.generated_at)
    return PortfolioSource(html.replace(marker, str(shown_time)),
                           frozenset(doc.previews.values()), key)


@cache
def renderer_version() -> str:
    return f"weasyprint {version('weasyprint')}"


def human_size(size: int | None) -> str:
    """Bytes in plain words: 940 bytes, 12.5 KB, 3.2 MB."""
    size = int(size or 0)
    if size < 1024:
        return f"{size} bytes"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}"
    return f"{size:.1f} GB"  # pragma: no cover


def render_pdf(doc: PortfolioDocument, fetcher=None) -> bytes:
    """The portfolio's PDF, drawn in this process unless an unchanged one is kept."""
    source = portfolio_source(doc)
    kept = pdf_cache.cached(source.key)
    if kept is not None:
        return kept.read_bytes()
    data = write_pdf(source.html, source.allowed, fetcher)
    pdf_cache.store(source.key, data)
    return data
