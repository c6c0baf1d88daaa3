"""Spend a sent-once key in the transaction that creates the record it names."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..errors import DomainError
from ..extensions import db
from .models import SentOnceKey

FIELD = "idempotency_key"


class AlreadySent(DomainError):
    """Another send with the same key created the record first (it may still be committing)."""


def key_from(form) -> str | None:
    """The form's sent-once key as a canonical UUID, or None when it has none (or a bad one)."""
    raw = (form.get(FIELD) or "").strip()
    try:
        return str(uuid.UUID(raw)) if raw and len(raw) <= 36 else None
    except ValueError:
        return None


def earlier_result(actor, key: str | None) -> str | None:
    """Where the record this person already created with this key is read, if they did."""
    if key is None:
        return None
    return db.session.scalar(select(SentOnceKey.result_url).where(
        SentOnceKey.user_id == actor.id, SentOnceKey.key == key))


def create_once(actor, key: str | None, kind: str, create: Callable[[], Any],
                url_of: Callable[[Any], str]) -> Any:
    """Claim the key, run `create`, store where its result is read; flush, never commit.

    The claim is flushed first, so a second send at the same moment waits on the unique
    constraint and is refused (AlreadySent) before it creates anything.
    """
    if key is None:
        return create()
    claim = SentOnceKey(user_id=actor.id, key=key, kind=kind)
    db.session.add(claim)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise AlreadySent("This was sent already.") from error
    value = create()
    claim.result_url = url_of(value)
    db.session.flush()
    return value
