"""The evidence of a saved version as a viewer sees it: on the entry page, in a comparison, and
the author's evidence changes that no saved version holds yet."""

from __future__ import annotations

from flask import url_for

from ..entries.diff import evidence_moves, listed_evidence
from ..entries.permissions import can_edit_entry, is_author
from ..entries.services import latest_version, working_content
from . import queries


def build_entry_panel(entry, version, viewer) -> dict | None:
    """Everyone sees the shown version's evidence; the author's unsaved changes only on the latest."""
    author = is_author(viewer, entry)
    if version is None:
        return _draft_panel(entry, viewer) if author else None
    listed = listed_evidence(version.content)
    if not listed and not author:
        return None
    if author:
        items, attached = queries.listed_and_attached(entry, listed)
    else:
        items, attached = queries.visible_among(viewer, entry.owner_id, listed), None
    panel = {"is_author": author, "evidence": items, "hidden": len(listed) - len(items),
             "version_number": version.number, "pending": None, "can_edit": False,
             "manage_url": None}
    if author and version.number == entry.latest_version_number:
        panel.update(can_edit=can_edit_entry(viewer, entry),
                     manage_url=url_for("evidence.attach_page", entry_id=entry.id),
                     pending=pending_changes(entry, viewer, version, attached=attached,
                                             shown=items))
    return panel


def _draft_panel(entry, viewer) -> dict:
    """A never-saved draft: its working copy, which only the author can see."""
    return {"is_author": True, "evidence": queries.attached_to_entry(entry.id), "hidden": 0,
            "version_number": None, "pending": None,
            "can_edit": can_edit_entry(viewer, entry),
            "manage_url": url_for("evidence.attach_page", entry_id=entry.id)}


def pending_changes(entry, author, latest=None, *, attached=None, shown=None) -> dict | None:
    """The author's evidence changes since the latest saved version, with the offer to save.

    None when the entry has no saved version or its working copy lists the same evidence.
    `attached` (the working copy's evidence) and `shown` (the latest version's) save a query
    when the page already has them.
    """
    latest = latest if latest is not None else latest_version(entry)
    if latest is None:
        return None
    attached = attached if attached is not None else queries.attached_to_entry(entry.id)
    added_ids, removed_ids = evidence_moves(latest.content,
                                            {"evidence_ids": [item.id for item in attached]})
    if not added_ids and not removed_ids:
        return None
    known = {item.id: item for item in (shown if shown is not None else queries.visible_among(
        author, entry.owner_id, removed_ids))}
    removed = [known[i] for i in removed_ids if i in known]
    return {
        "added": [item for item in attached if item.id in set(added_ids)],
        "removed": removed,
        "removed_deleted": len(removed_ids) - len(removed),
        "latest_number": latest.number,
        "text_unsaved": _text_unsaved(entry, latest),
        "save_url": url_for("entries.save_working_copy", entry_id=entry.id),
        "lock_version": entry.lock_version,
        "can_save": can_edit_entry(author, entry),
    }


def _text_unsaved(entry, latest) -> bool:
    """Whether saving now would also save draft changes other than the evidence."""
    working = working_content(entry)
    return bool(entry.pending_privacy) or any(
        working.get(key) != value for key, value in latest.content.items()
        if key != "evidence_ids")


def comparison(viewer, entry, old, new) -> dict:
    """Evidence the newer version added and removed, as items this viewer may open."""
    added_ids, removed_ids = evidence_moves(old.content, new.content)
    known = {item.id: item for item in queries.visible_among(
        viewer, entry.owner_id, [*added_ids, *removed_ids])}
    added = [known[i] for i in added_ids if i in known]
    removed = [known[i] for i in removed_ids if i in known]
    return {"changed": bool(added_ids or removed_ids), "added": added, "removed": removed,
            "hidden_added": len(added_ids) - len(added),
            "hidden_removed": len(removed_ids) - len(removed),
            "is_author": is_author(viewer, entry)}
