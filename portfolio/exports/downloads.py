"""Download responses: RFC 6266 names, exact types and lengths, streamed from disk for jobs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import Response

from ..downloads import send_download
from .archive import safe_name


def cohort_words(cohort) -> str:
    """'Talent A 2026-2027', without repeating the year when the cohort's name already has it."""
    label = cohort.year.label
    return cohort.name if label in cohort.name else f"{cohort.name} {label}"


def dated_name(*parts: str, suffix: str, today: date) -> str:
    """A download name like 'progress Talent A 2026-2027 2026-10-03.csv'."""
    return safe_name(" ".join([*parts, today.isoformat()]), "export") + suffix


def attachment(data: bytes, name: str, media_type: str) -> Response:
    """A small export built in memory (CSV, XLSX, one PDF or HTML file)."""
    return send_download(data, name, media_type, default_name="export")


def file_attachment(path: Path, name: str, media_type: str) -> Response:
    """A finished job's file, streamed from disk with its Content-Length."""
    return send_download(path, name, media_type, default_name="export", conditional=True,
                         max_age=0, etag=False)
