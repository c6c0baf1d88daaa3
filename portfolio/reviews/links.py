"""Site-relative links into other features' pages, usable in requests and from cron.

The entries feature owns the entry, version and diff pages; these helpers find those routes
in the URL map by their shape, so reviews never hard-codes another feature's paths.
"""

from __future__ import annotations

from flask import current_app

from ..notifications.services import path_for

ENTRY_PAGE = "entry"
DIFF_PAGE = "diff"
VERSION_PAGE = "version"


def _entry_endpoints() -> dict[str, tuple[str, tuple[str, ...]]]:
    cache = current_app.extensions.setdefault("reviews_entry_endpoints", {})
    if cache:
        return cache
    for rule in current_app.url_map.iter_rules():
        if not rule.endpoint.startswith("entries.") or "GET" not in rule.methods:
            continue
        arguments = tuple(sorted(rule.arguments))
        name = rule.endpoint.split(".", 1)[1]
        if arguments == ("entry_id",) and rule.rule.rstrip("/").endswith("<int:entry_id>"):
            cache.setdefault(ENTRY_PAGE, (rule.endpoint, arguments))
        elif "entry_id" in arguments and len(arguments) == 3 and (
                "diff" in name or "compare" in name):
            cache.setdefault(DIFF_PAGE, (rule.endpoint, arguments))
        elif "entry_id" in arguments and len(arguments) == 2 and "version" in name:
            cache.setdefault(VERSION_PAGE, (rule.endpoint, arguments))
    return cache


def entry_path(entry_id: int, anchor: str | None = None) -> str:
    """The entry's page (or, before the entries feature has one, the reviews home)."""
    found = _entry_endpoints().get(ENTRY_PAGE)
    if found is None:
        return path_for("reviews.dashboard", _anchor=anchor)
    return path_for(found[0], _anchor=anchor, entry_id=entry_id)


def version_path(entry_id: int, number: int) -> str | None:
    found = _entry_endpoints().get(VERSION_PAGE)
    if found is None:
        return None
    other = next(name for name in found[1] if name != "entry_id")
    return path_for(found[0], entry_id=entry_id, **{other: number})


def diff_path(entry_id: int, old: int, new: int) -> str | None:
    """The entries diff page between two versions, else the old version, else None."""
    found = _entry_endpoints().get(DIFF_PAGE)
    if found is None:
        return version_path(entry_id, old)
    first, second = (name for name in found[1] if name != "entry_id")
    # Names like (from_number, to_number) or (old, new) sort with the older one first
    # only by luck; map by meaning where the names say it.
    if any(word in second for word in ("from", "old", "base", "a_")):
        first, second = second, first
    return path_for(found[0], entry_id=entry_id, **{first: old, second: new})


def request_path(request_id: int) -> str:
    return path_for("reviews.request_detail", request_id=request_id)
