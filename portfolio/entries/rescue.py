"""Keep text that arrives after the author's session has ended, until they sign in again.

The form a page renders carries a signed hint of whose form it is. A POST from a signed-out
browser stores the posted fields under a random key kept in that browser's session (which
`auth.views.start_session` carries across sign-in); once the same author signs in, the text
is written into their draft. Nobody else can claim it, and unclaimed rows expire.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, select
from werkzeug.datastructures import MultiDict

from ..database import utcnow
from ..extensions import db
from .models import DraftRescue, Entry, RescueTarget

KEEP_FOR = timedelta(days=14)
MAX_PER_ADDRESS_PER_HOUR = 30
# Far above a real entry (sections are limited to 100,000 characters each), far below abuse.
MAX_KEPT_CHARACTERS = 3_000_000
# What the signed-out page was writing; comments and other forms go through form_rescue.py.
TARGETS = (RescueTarget.ENTRY, RescueTarget.NEW_ENTRY, RescueTarget.PHILOSOPHY)
_SALT = "portfolio-draft-owner"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=_SALT)


def owner_hint(user_id: int) -> str:
    """A tamper-proof note, put in each writing form, of whose text the form holds."""
    return _serializer().dumps(user_id)


def read_owner_hint(token: str | None) -> int | None:
    if not token:
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    """A random key for the browser's session; only its hash is stored."""
    return secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return _hash(key)


def stash(key: str | None, target: str, formdata: MultiDict, *, entry_id: int | None = None,
          address: str = "") -> str | None:
    """Keep the posted fields; return the key for the browser's session (None if refused)."""
    user_id = read_owner_hint(formdata.get("owner"))
    if target == RescueTarget.ENTRY:
        owner_id = db.session.scalar(select(Entry.owner_id).where(Entry.id == entry_id))
        if owner_id is None or owner_id != user_id:
            return None
    if user_id is None or target not in TARGETS:
        return None
    db.session.execute(delete(DraftRescue).where(DraftRescue.created_at < utcnow() - KEEP_FOR))
    payload = {name: formdata.getlist(name) for name in formdata if name != "csrf_token"}
    if sum(len(value) for values in payload.values() for value in values) > MAX_KEPT_CHARACTERS:
        return None
    row = find(key) if key else None
    if row is None:
        if too_many_from(address):
            return None
        key = new_key()
        row = DraftRescue(key_hash=_hash(key))
        db.session.add(row)
    row.user_id, row.target, row.entry_id = user_id, target, entry_id
    row.payload, row.address, row.created_at = payload, address[:64], utcnow()
    db.session.flush()
    return key


def too_many_from(address: str) -> bool:
    recent = db.session.scalar(select(func.count()).select_from(DraftRescue).where(
        DraftRescue.address == address[:64],
        DraftRescue.created_at > utcnow() - timedelta(hours=1)))
    return recent >= MAX_PER_ADDRESS_PER_HOUR


def find(key: str | None) -> DraftRescue | None:
    if not key or not isinstance(key, str):
        return None
    return db.session.scalar(select(DraftRescue).where(DraftRescue.key_hash == _hash(key)))


def claimable(key: str | None, user) -> DraftRescue | None:
    """The rescued text waiting for this user in this browser, if any.

    Text kept for someone else (a shared computer) is deleted rather than shown.
    """
    row = find(key)
    if row is None:
        return None
    if row.user_id != user.id:
        db.session.delete(row)
        db.session.flush()
        return None
    return row


def formdata_of(row: DraftRescue) -> MultiDict:
    return MultiDict([(name, value) for name, values in (row.payload or {}).items()
                      for value in values])


def discard(row: DraftRescue | None) -> None:
    if row is not None:
        db.session.delete(row)
        db.session.flush()
