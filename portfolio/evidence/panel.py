"""The evidence panel on an entry page: what this viewer may open, in the author's order."""

from __future__ import annotations

from flask import url_for

from ..entries.permissions import can_edit_entry, is_author
from . import queries


def build_entry_panel(entry, version, viewer) -> dict | None:
    """Readers see the displayed version's evidence they may open; the author the working copy."""
    listed = list(version.evidence_ids) if version is not None else []
    if is_author(viewer, entry):
        items = queries.attached_to_entry(entry.id)
        return {
            "is_author": True,
            "evidence": items,
            "hidden": 0,
            "unsaved": version is not None and sorted(i.id for i in items) != sorted(
                int(i) for i in listed if str(i).isdigit()),
            "can_edit": can_edit_entry(viewer, entry),
            "manage_url": url_for("evidence.attach_page", entry_id=entry.id),
        }
    if not listed:
        return None
    items = queries.visible_among(viewer, entry.owner_id, listed)
    hidden = len({int(i) for i in listed if str(i).isdigit()}) - len(items)
    return {"is_author": False, "evidence": items, "hidden": hidden, "unsaved": False,
            "can_edit": False, "manage_url": None}
