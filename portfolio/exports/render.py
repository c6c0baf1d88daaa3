"""Render a portfolio document as self-contained HTML or as a PDF with WeasyPrint.

WeasyPrint is given only sanitised HTML from our own template, no base URL and a fetcher that
refuses every resource except the data: URIs this module creates, so Markdown written by a
user can never make the server fetch anything (no SSRF, no local file reads).
"""

from __future__ import annotations

import logging

from flask import render_template

from ..entries.models import PRIVACY_TIERS
from ..reviews.progress import STATES
from .document import PortfolioDocument

log = logging.getLogger(__name__)
TEMPLATE = "exports/document/portfolio.html"


class ResourceRefused(ValueError):
    """A document asked for a resource that exports never load."""


def _fetcher_base():
    from weasyprint.urls import URLFetcher

    return URLFetcher


def make_fetcher(allowed: frozenset[str] = frozenset()):
    """A WeasyPrint URL fetcher that only answers data: URIs listed in `allowed`."""
    base = _fetcher_base()

    class LocalOnlyFetcher(base):
        def __init__(self):
            super().__init__(timeout=1, allowed_protocols=("data",), allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith("data:") and url in allowed:
                return super().fetch(url, headers)
            self.refused.append(url[:200])
            log.info("export refused to load a resource: %.80s", url)
            raise ResourceRefused("exports do not load external resources")

    return LocalOnlyFetcher()


def render_html(doc: PortfolioDocument, for_pdf: bool = False) -> str:
    """The portfolio as one HTML file: inline CSS, no script, no external resources."""
    return render_template(TEMPLATE, doc=doc, states=STATES, for_pdf=for_pdf,
                           privacy_tiers=PRIVACY_TIERS, human_size=human_size)


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
    from weasyprint import HTML

    html = render_html(doc, for_pdf=True)
    return HTML(string=html, base_url=None, url_fetcher=fetcher or make_fetcher()).write_pdf()
