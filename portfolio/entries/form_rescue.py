"""Keep what someone typed into any long text field of any form (a comment, a reply, peer
feedback, a review decision) when the form cannot be accepted because the session ended or its
token expired, and put it back into the same box on the page they wrote it on.

Each kept textarea (the `textarea` form macro) sends a signed hint of whose text it is. A
refused post stores the fields in a DraftRescue row under a random key in the browser's
session (carried across sign-in); the page's text boxes fill themselves from it once, for
that author only. Entry and philosophy forms have their own keeping (keeping.py).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, g, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import delete

from ..database import utcnow
from ..extensions import db
from . import bp, rescue
from .models import DraftRescue, RescueTarget

SESSION_KEY = "form_rescue"
TARGET = RescueTarget.FORM
OWNER_FIELD = "keep_owner"
_NOT_KEPT = {"csrf_token", OWNER_FIELD, "submission_key"}

EXPIRED_MESSAGE = ("The form had been open a long time, so nothing was sent yet. Your text is "
                   "back in the box below: check it and send it again.")
SIGNED_OUT_MESSAGE = ("You had been signed out, so your text was kept safely. Sign in again and "
                      "it will be back in the box you wrote it in.")


@bp.app_template_global()
def keep_owner() -> str:
    """The signed owner hint a kept text box sends with its form: signed once per request
    (the same user gives the same hint), however many text boxes the page holds."""
    if not current_user.is_authenticated:
        return ""
    if "keep_owner_hint" not in g:
        g.keep_owner_hint = rescue.owner_hint(current_user.id)
    return g.keep_owner_hint


@bp.app_template_global()
def put_back_kept_text(field) -> str:
    """Fill an empty text box with the text kept for it on this page (once); render nothing."""
    row = _row_for_this_page()
    values = (row.payload or {}).get(field.name) if row is not None else None
    if values and not (field.data or "").strip():
        field.data = values[0]
        g.form_rescue_used = row
    return ""


def keep_after_refused_post():
    """For a post refused for its token: keep its text and send the writer back; else None."""
    if request.method != "POST" or OWNER_FIELD not in request.form:
        return None
    owner = rescue.read_owner_hint(request.form.get(OWNER_FIELD))
    if owner is None or (current_user.is_authenticated and owner != current_user.id):
        return None
    page = _writing_page()
    if page is None or not _stash(owner, page):
        db.session.rollback()
        return None
    db.session.commit()
    if current_user.is_authenticated:
        flash(EXPIRED_MESSAGE, "info")
        return redirect(page, 303)
    flash(SIGNED_OUT_MESSAGE, "info")
    return redirect(url_for("auth.login", next=page), 303)


@bp.record_once
def _register(state) -> None:
    state.app.extensions.setdefault("refused_post_keepers", []).append(keep_after_refused_post)


@bp.after_app_request
def _forget_put_back_text(response):
    row = g.pop("form_rescue_used", None)
    if row is not None and response.status_code < 400:
        rescue.discard(row)
        session.pop(SESSION_KEY, None)
        db.session.commit()
    return response


def _writing_page() -> str | None:
    """The page the form was on (this site only), to go back to."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or not referrer.path.startswith("/"):
        return None
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")


def _stash(user_id: int, page: str) -> bool:
    db.session.execute(delete(DraftRescue).where(
        DraftRescue.created_at < utcnow() - rescue.KEEP_FOR))
    payload = {name: request.form.getlist(name) for name in request.form if name not in _NOT_KEPT}
    if sum(len(value) for values in payload.values() for value in values) \
            > rescue.MAX_KEPT_CHARACTERS:
        return False
    row = rescue.find(session.get(SESSION_KEY))
    key = session.get(SESSION_KEY)
    if row is None:
        if rescue.too_many_from(request.remote_addr or ""):
            return False
        key = rescue.new_key()
        row = DraftRescue(key_hash=rescue.key_hash(key))
        db.session.add(row)
    row.user_id, row.target, row.entry_id = user_id, TARGET, None
    row.payload = {**payload, "_page": [page]}
    row.address, row.created_at = (request.remote_addr or "")[:64], utcnow()
    db.session.flush()
    session[SESSION_KEY] = key
    return True


def _row_for_this_page() -> DraftRescue | None:
    if "form_rescue_row" not in g:
        g.form_rescue_row = None
        key = session.get(SESSION_KEY)
        if key and current_user.is_authenticated:
            row = rescue.claimable(key, current_user)
            here = request.full_path.rstrip("?")
            if row is not None and row.target == TARGET \
                    and (row.payload or {}).get("_page") == [here]:
                g.form_rescue_row = row
    return g.form_rescue_row
