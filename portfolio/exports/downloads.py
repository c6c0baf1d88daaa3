"""Download responses: RFC 6266 names, exact types and lengths, streamed from disk for jobs."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path
from urllib.parse import quote

from flask import Response, send_file

from .archive import safe_name


def ascii_fallback(name: str) -> str:
    """An ASCII-only name for clients that ignore `filename*`."""
    decomposed = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9._ ()+-]", "_", decomposed).strip(" .")
    return cleaned or "export"


def content_disposition(name: str) -> str:
    """`attachment; filename="x"; filename*=UTF-8''x` (RFC 6266 with RFC 8187 encoding)."""
    return (f'attachment; filename="{ascii_fallback(name)}"; '
            f"filename*=UTF-8''{quote(name, safe='')}")


def cohort_words(cohort) -> str:
    """'Talent A 2026-2027', without repeating the year when the cohort's name already has it."""
    label = cohort.year.label
    return cohort.name if label in cohort.name else f"{cohort.name} {label}"


def dated_name(*parts: str, suffix: str, today: date) -> str:
    """A download name like 'progress Talent A 2026-2027 2026-10-03.csv'."""
    return safe_name(" ".join([*parts, today.isoformat()]), "export") + suffix


def _private(response: Response, name: str) -> Response:
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def attachment(data: bytes, name: str, media_type: str) -> Response:
    """A small export built in memory (CSV, XLSX, one PDF or HTML file)."""
    response = Response(data, mimetype=None, content_type=media_type)
    response.content_length = len(data)
    return _private(response, name)


def file_attachment(path: Path, name: str, media_type: str) -> Response:
    """A finished job's file, streamed from disk with its Content-Length."""
    response = send_file(path, mimetype=media_type, as_attachment=True, download_name=name,
                         conditional=True, max_age=0, etag=False)
    return _private(response, name)
