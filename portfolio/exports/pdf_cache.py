"""Reuse a candidate's portfolio PDF while nothing it shows has changed.

A PDF is kept under EXPORT_FOLDER/pdf-cache/<key>.pdf. The key is a SHA-256 of the exact HTML
the PDF is drawn from (every entry, section, competency, sign-off, preview and the stylesheet,
less the export time), of the requester and audience it was drawn for, and of the renderer's
version. So a new version, sign-off, comment on the map or visibility change makes a new key,
and a PDF is never handed to anyone but the person it was made for: two viewers who may see
different things can never share one. A reused PDF keeps the export time it was drawn at.
Files unused for EXPORT_RETENTION_DAYS are deleted by the worker's cleanup.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from .jobs import export_folder

FOLDER = "pdf-cache"
FORMAT = "portfolio-pdf/1"


def cache_key(html_without_time: str, viewer_id: int, audience: str, renderer: str) -> str:
    digest = hashlib.sha256()
    for part in (FORMAT, renderer, str(viewer_id), audience):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(html_without_time.encode("utf-8"))
    return digest.hexdigest()


def folder() -> Path:
    path = export_folder() / FOLDER
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_for(key: str) -> Path:
    return folder() / f"{key}.pdf"


def cached(key: str) -> Path | None:
    """The kept PDF for `key`, marked as just used, or None."""
    path = path_for(key)
    try:
        os.utime(path)
    except FileNotFoundError:
        return None
    return path


def store(key: str, data: bytes) -> Path:
    """Keep `data` under `key` (written aside, then renamed: readers never see half a file)."""
    path = path_for(key)
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    part.write_bytes(data)
    os.replace(part, path)
    return path


def prune(max_age_days: float, now: float | None = None) -> int:
    """Delete kept PDFs (and abandoned partial files) unused for `max_age_days`."""
    cutoff = (now or time.time()) - max_age_days * 86400
    removed = 0
    for path in folder().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
