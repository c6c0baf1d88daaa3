"""Comments and structured peer feedback on entries: one level of replies, 15-minute edits."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...access import is_manager
from ...audit.services import record
from ...database import utcnow
from ...errors import DomainError
from ...extensions import db
from ...notifications.services import notify
from ...once import submission_key
from ..links import entry_path
from ..models import Comment, CommentKind
from ..permissions import (
    can_comment,
    can_edit_comment,
    can_give_peer_feedback,
    can_remove_comment,
)
from .common import assert_entry_writable, clean_text
from .requests import AlreadyRecorded

MAX_COMMENT = 5_000
MAX_FEEDBACK_PART = 2_000
# A second identical post this soon after the first is the same form sent twice.
REPEAT_WINDOW = timedelta(minutes=2)
ALREADY_POSTED = "Your comment was already posted."


def add_comment(entry, actor, body: str, parent: Comment | None = None, *,
                at: datetime | None = None, form_key: str | None = None) -> Comment:
    """Post a comment, or a reply (replies to a reply join the same thread).

    `form_key` is the posting form's one-time key: the same form sent twice at once is stored
    once (the database refuses the second) and the repeat gets AlreadyRecorded.
    """
    if not can_comment(actor, entry):
        raise DomainError("Only people who can see this entry can comment on it.")
    assert_entry_writable(entry)
    body = _required(body, "body", "Enter your comment.", MAX_COMMENT)
    root = _thread_root(entry, parent)
    fields = {"kind": CommentKind.COMMENT, "body": body}
    existing = _repeat_of(entry, actor, root, fields)
    if existing is not None:
        return existing
    comment = _save(entry, actor, root, fields, at, form_key)
    _tell_about_comment(entry, actor, comment, root)
    return comment


def add_peer_feedback(entry, actor, what_worked: str, what_to_try: str,
                      question: str = "", *, at: datetime | None = None,
                      form_key: str | None = None) -> Comment:
    """Structured feedback: what worked, what to try, and optionally a question."""
    if not can_give_peer_feedback(actor, entry):
        raise DomainError("You cannot give feedback on your own entry; reply to a comment "
                          "instead.")
    assert_entry_writable(entry)
    fields = {
        "kind": CommentKind.PEER_FEEDBACK,
        "what_worked": _required(what_worked, "what_worked", "Say what worked.",
                                 MAX_FEEDBACK_PART),
        "what_to_try": _required(what_to_try, "what_to_try", "Suggest something to try.",
                                 MAX_FEEDBACK_PART),
        "question": _limited(question, "question", MAX_FEEDBACK_PART),
    }
    existing = _repeat_of(entry, actor, None, fields)
    if existing is not None:
        return existing
    comment = _save(entry, actor, None, fields, at, form_key)
    _tell_about_comment(entry, actor, comment, None)
    return comment


def edit_comment(comment: Comment, actor, *, body: str = "", what_worked: str = "",
                 what_to_try: str = "", question: str = "") -> None:
    if not can_edit_comment(actor, comment):
        raise DomainError("Comments can only be changed by their author, within 15 minutes "
                          "of posting.")
    assert_entry_writable(comment.entry)
    if comment.kind == CommentKind.PEER_FEEDBACK:
        comment.what_worked = _required(what_worked, "what_worked", "Say what worked.",
                                        MAX_FEEDBACK_PART)
        comment.what_to_try = _required(what_to_try, "what_to_try",
                                        "Suggest something to try.", MAX_FEEDBACK_PART)
        comment.question = _limited(question, "question", MAX_FEEDBACK_PART)
    else:
        comment.body = _required(body, "body", "Enter your comment.", MAX_COMMENT)
    comment.edited_at = utcnow()
    db.session.flush()


def remove_comment(comment: Comment, actor) -> None:
    """Remove the text for good; the thread shows that a comment was removed."""
    if not can_remove_comment(actor, comment):
        raise DomainError("You can only remove your own comments.")
    assert_entry_writable(comment.entry)
    comment.removed_at = utcnow()
    comment.body = comment.what_worked = comment.what_to_try = comment.question = ""
    db.session.flush()
    if comment.author_id != actor.id and is_manager(actor):
        record("comment.moderated", actor=actor, target=comment,
               cohort_id=comment.entry.cohort_id, entry_id=comment.entry_id)


def _required(value: str | None, field: str, message: str, limit: int) -> str:
    text = _limited(value, field, limit)
    if not text:
        raise DomainError(message, field=field)
    return text


def _limited(value: str | None, field: str, limit: int) -> str:
    text = clean_text(value, limit + 1)
    if len(text) > limit:
        raise DomainError(f"Keep this to {limit:,} characters or fewer.", field=field)
    return text


def _thread_root(entry, parent: Comment | None) -> Comment | None:
    if parent is None:
        return None
    if parent.entry_id != entry.id:
        raise DomainError("That comment belongs to a different entry.")
    root = parent if parent.parent_id is None else db.session.get(Comment, parent.parent_id)
    if root is None or root.removed_at is not None:
        raise DomainError("That comment has been removed, so you cannot reply to it.")
    return root


def _repeat_of(entry, actor, root: Comment | None, fields: dict) -> Comment | None:
    statement = select(Comment).where(
        Comment.entry_id == entry.id, Comment.author_id == actor.id,
        Comment.removed_at.is_(None), Comment.created_at >= utcnow() - REPEAT_WINDOW,
        Comment.parent_id.is_(None) if root is None else Comment.parent_id == root.id,
        *[getattr(Comment, name) == value for name, value in fields.items()])
    return db.session.scalar(statement.limit(1))


def _save(entry, actor, root: Comment | None, fields: dict, at=None,
          form_key: str | None = None) -> Comment:
    comment = Comment(entry_id=entry.id, cohort_id=entry.cohort_id, author_id=actor.id,
                      parent_id=root.id if root else None,
                      version_number=entry.latest_version_number or None,
                      submission_key=submission_key(form_key, entry.id,
                                                    root.id if root else None, fields),
                      created_at=at or utcnow(), **fields)
    db.session.add(comment)
    try:
        db.session.flush()
    except IntegrityError as error:  # the same form, sent at the same moment, was stored
        raise AlreadyRecorded(ALREADY_POSTED) from error
    return comment


def _tell_about_comment(entry, actor, comment: Comment, root: Comment | None) -> None:
    link = entry_path(entry.id, anchor=f"comment-{comment.id}")
    title = entry.display_title
    told = {actor.id}
    if root is not None and root.author is not None and root.author_id not in told:
        notify(root.author, "reply", f"{actor.display_name} replied to your comment on "
               f"“{title}”.", link, entry=entry)
        told.add(root.author_id)
    if entry.owner_id not in told:
        what = {CommentKind.PEER_FEEDBACK: "left peer feedback on",
                CommentKind.COMMENT: "commented on"}[comment.kind]
        if root is not None:
            what = "replied to a comment on"
        notify(entry.owner, "reply" if root is not None else "comment",
               f"{actor.display_name} {what} your entry “{title}”.", link, entry=entry)
