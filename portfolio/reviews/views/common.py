"""Loaders and small helpers shared by the reviews views."""

from __future__ import annotations

from flask import abort, flash, redirect
from flask_login import current_user

from ...database import get_or_404
from ...entries.models import Entry
from ..links import entry_path
from ..models import Comment
from ..permissions import can_comment
from ..services import AlreadyRecorded


def entry_for(entry_id, visible=None) -> Entry:
    """The entry, or 404 unless the current user may see it (and pass `visible`)."""
    entry = get_or_404(Entry, entry_id, visible=lambda row: can_comment(current_user, row))
    if visible is not None and not visible(current_user, entry):
        abort(404)
    return entry


# A second copy of the same action (a double click, a retried send) lost the race: handlers
# leave this refusal to the view, which says so as news rather than as an error.
ALREADY = (AlreadyRecorded,)


def already_recorded(outcome) -> bool:
    """Whether `attempt` found the action already done by another request (and say so)."""
    if isinstance(outcome.error, AlreadyRecorded):
        flash(outcome.error.message, "info")
        return True
    return False


def info_if_already(error) -> str:
    """The flash category of a refusal: news when the action was already done, else an error."""
    return "info" if isinstance(error, AlreadyRecorded) else "error"


def comment_for(comment_id, visible) -> Comment:
    comment = get_or_404(Comment, comment_id,
                         visible=lambda row: can_comment(current_user, row.entry))
    if not visible(current_user, comment):
        abort(404)
    return comment


def back_to_entry(entry_id: int, anchor: str | None = None):
    return redirect(entry_path(entry_id, anchor=anchor))
