"""Site-relative links into the entries feature's pages, usable in requests and from cron."""

from __future__ import annotations

from flask import current_app

from ..notifications.services import path_for

# The entries feature's pages (portfolio/entries/reading.py).
ENTRY_PAGE = "entries.show_entry"
VERSION_PAGE = "entries.show_version"
DIFF_PAGE = "entries.compare_versions"


def _exists(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def entry_path(entry_id: int, anchor: str | None = None) -> str:
    """The entry's page (while the entries feature has none, the reviews home)."""
    if not _exists(ENTRY_PAGE):
        return path_for("reviews.dashboard", _anchor=anchor)
    return path_for(ENTRY_PAGE, _anchor=anchor, entry_id=entry_id)


def version_path(entry_id: int, number: int) -> str | None:
    return path_for(VERSION_PAGE, entry_id=entry_id, number=number) \
        if _exists(VERSION_PAGE) else None


def diff_path(entry_id: int, old: int, new: int) -> str | None:
    """What changed between two versions (the entries diff page), else the old version."""
    if not _exists(DIFF_PAGE):
        return version_path(entry_id, old)
    return path_for(DIFF_PAGE, entry_id=entry_id, from_number=old, to_number=new)


def request_path(request_id: int) -> str:
    return path_for("reviews.request_detail", request_id=request_id)
