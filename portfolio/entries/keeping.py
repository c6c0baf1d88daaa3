"""View helpers that make sure a coach's text survives: expired sessions, expired form tokens,
very long posts. Used by the entry and philosophy writing views (which are exempt from the
global CSRF check and check the token here instead, so a bad token re-shows the text)."""

from __future__ import annotations

from functools import wraps

from flask import current_app, flash, jsonify, redirect, request, session, url_for
from flask_login import current_user

from ..extensions import db
from ..timeutil import format_time
from . import rescue

# Writing views parse forms up to this size, well above the 100,000 characters a section may
# hold, so an over-long section reaches the form's own check (which keeps the text) instead
# of Flask's 413 page (which cannot).
WRITING_FORM_BYTES = 16 * 1024 * 1024
RESCUE_SESSION_KEY = "draft_rescue"

EXPIRED_FORM_MESSAGE = ("For your security nothing was saved yet: the page had been open a long time, "
                 "or you signed in again in another window. Your text is still here. Press the "
                 "button again to save it.")
SIGNED_OUT_MESSAGE = ("You had been signed out, so your text was kept safely. Sign in again and "
                      "it will be put back into your draft.")
NOT_KEPT_MESSAGE = ("You had been signed out and your text could not be kept on the server. "
                    "Use your browser's Back button to copy it before signing in again.")


def allow_long_text() -> None:
    configured = current_app.config.get("MAX_FORM_MEMORY_SIZE") or 0
    request.max_form_memory_size = max(WRITING_FORM_BYTES, configured)


def writer_login_required(target: str, page_url):
    """Like login_required, but a POST after the session ended keeps the text for sign-in.

    `page_url(**view_args)` is the page to return to after signing in, where the kept text is
    written back into the author's draft.
    """
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_user.is_authenticated:
                return view(*args, **kwargs)
            if request.method != "POST":
                return current_app.login_manager.unauthorized()
            kept = keep_for_sign_in(target, kwargs.get("entry_id"))
            flash(SIGNED_OUT_MESSAGE if kept else NOT_KEPT_MESSAGE, "info" if kept else "error")
            return redirect(url_for("auth.login", next=page_url(**kwargs)))
        return wrapped
    return decorator


def keep_for_sign_in(target: str, entry_id: int | None = None) -> bool:
    """Store the posted form for its author, keyed from this browser's session."""
    allow_long_text()
    key = rescue.stash(session.get(RESCUE_SESSION_KEY), target, request.form,
                       entry_id=entry_id, address=request.remote_addr or "")
    if key is None:
        db.session.rollback()
        return False
    session[RESCUE_SESSION_KEY] = key
    db.session.commit()
    return True


def signed_out_json(target: str, page: str, entry_id: int | None = None):
    kept = keep_for_sign_in(target, entry_id)
    return jsonify(error="signed_out", kept=kept,
                   message=("You have been signed out. Your text is kept: sign in again and "
                            "it will be saved." if kept else NOT_KEPT_MESSAGE),
                   login_url=url_for("auth.login", next=page)), 401


def claim_rescue(target: str, entry_id: int | None = None):
    """Text kept for the signed-in user in this browser for this page, if any."""
    key = session.get(RESCUE_SESSION_KEY)
    if not key:
        return None
    row = rescue.claimable(key, current_user)
    if row is None:
        session.pop(RESCUE_SESSION_KEY, None)
        db.session.commit()
        return None
    if row.target != target or row.entry_id != entry_id:
        return None
    return row


def pending_rescue():
    """Kept text for the signed-in user waiting on some page (for a reminder)."""
    key = session.get(RESCUE_SESSION_KEY)
    if not key:
        return None
    row = rescue.claimable(key, current_user)
    if row is None:  # gone, or someone else's: forget it (claimable deleted the latter)
        session.pop(RESCUE_SESSION_KEY, None)
        db.session.commit()
    return row


def finish_rescue(row) -> None:
    rescue.discard(row)
    session.pop(RESCUE_SESSION_KEY, None)


def forget_rescue_for(target: str, entry_id: int | None = None) -> None:
    """A later save of the same text supersedes anything kept while signed out."""
    key = session.get(RESCUE_SESSION_KEY)
    row = rescue.find(key) if key else None
    if row is not None and row.user_id == current_user.id and row.target == target \
            and row.entry_id == entry_id:
        finish_rescue(row)


def saved_at_text(moment) -> str:
    return format_time(moment)
