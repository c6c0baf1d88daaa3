"""A showcase as a PDF, or as a self-contained web page in a ZIP (index.html and files/).

Both are drawn from one template with the stylesheet written into the page, so neither loads
anything from anywhere: the PDF's images are data: URIs that the PDF writer alone may load
(exports/pdfwriter.py refuses every other resource), and the ZIP's page points only at its own
files/ folder. The ZIP is written to a temporary file and streamed, so memory stays flat
whatever the size of the evidence."""

from __future__ import annotations

import base64
import tempfile
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from flask import current_app, render_template

from .. import storage
from ..consent.queries import restricted_ids
from ..database import utcnow
from ..downloads import send_download
from ..exports.pdfwriter import write_pdf
from .models import ItemKind, Showcase, ShowcaseItem

CHUNK = 64 * 1024


@cache
def _stylesheet(static_folder: str) -> str:
    return (Path(static_folder) / "css" / "showcase.css").read_text(encoding="utf-8")


def export_html(showcase: Showcase, file_url, *, external_links: bool, show_names: bool) -> str:
    return render_template("showcases/export.html", showcase=showcase, file_url=file_url,
                           external_links=external_links, show_names=show_names,
                           generated_at=utcnow(),
                           stylesheet=_stylesheet(current_app.static_folder))


def file_items(showcase: Showcase) -> list[ShowcaseItem]:
    # Evidence showing under-18s never leaves the cohort (portfolio/consent).
    restricted = restricted_ids(item.evidence_id for item in showcase.items)
    return [item for item in showcase.items
            if item.kind == ItemKind.EVIDENCE and item.evidence is not None
            and item.evidence.is_file and item.evidence.storage_key
            and item.evidence.deleted_at is None and item.evidence_id not in restricted]


def pdf_bytes(showcase: Showcase, *, show_names: bool = True) -> bytes:
    previews = {}
    for item in file_items(showcase):
        path = storage.stored_file(item.evidence.storage_key, ".thumb") \
            if item.evidence.has_thumbnail else None
        if path is not None:
            encoded = base64.b64encode(path.read_bytes()).decode("ascii")
            previews[item.id] = f"data:image/jpeg;base64,{encoded}"

    def file_url(item, variant):
        return previews.get(item.id) if variant == "thumbnail" else None

    html = export_html(showcase, file_url, external_links=True, show_names=show_names)
    return write_pdf(html, frozenset(previews.values()))


def zip_file(showcase: Showcase, *, show_names: bool = True):
    """The ZIP in an unnamed temporary file, rewound; closing it removes it."""
    names = {}
    for item in file_items(showcase):
        names[item.id] = (f"files/{item.id}-{_safe(item.evidence.original_filename)}",
                          f"files/{item.id}-preview.jpg" if item.evidence.has_thumbnail
                          else None)

    def file_url(item, variant):
        pair = names.get(item.id)
        return None if pair is None else pair[0 if variant == "file" else 1]

    target = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the streaming response
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", export_html(showcase, file_url, external_links=False,
                                                   show_names=show_names))
        for item in file_items(showcase):
            original, preview = names[item.id]
            for name, suffix in ((original, ""), (preview, ".thumb")):
                path = storage.stored_file(item.evidence.storage_key, suffix) if name else None
                if path is not None:
                    archive.write(path, name, compress_type=zipfile.ZIP_STORED
                                  if item.evidence.category in ("image", "video", "audio")
                                  else zipfile.ZIP_DEFLATED)
    target.seek(0)
    return target


def _chunks(handle) -> Iterator[bytes]:
    try:
        while chunk := handle.read(CHUNK):
            yield chunk
    finally:
        handle.close()


def _safe(name: str | None) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in (name or "file"))
    return cleaned.strip("._")[:100] or "file"


def download_name(showcase: Showcase, kind: str) -> str:
    return f"Showcase - {showcase.title}.{kind}"


def send_export(showcase: Showcase, kind: str, *, show_names: bool = True):
    """The PDF or ZIP; `show_names` False for a secret link (reviewers named by role only)."""
    if kind == "pdf":
        return send_download(pdf_bytes(showcase, show_names=show_names),
                             download_name(showcase, "pdf"), "application/pdf",
                             default_name="showcase.pdf")
    return send_download(_chunks(zip_file(showcase, show_names=show_names)),
                         download_name(showcase, "zip"),
                         "application/zip", default_name="showcase.zip")
