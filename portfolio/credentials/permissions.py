"""Who may do what with credentials: verifying is public; the files are the holder's."""

from __future__ import annotations

from sqlalchemy import exists, select

from ..extensions import db
from .models import Credential


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def holds_a_credential(user) -> bool:
    """Who sees "My credentials" in the header: people who have been issued one."""
    return _signed_in(user) and bool(db.session.scalar(
        select(exists().where(Credential.user_id == user.id))))


def can_download(user, credential: Credential) -> bool:
    return _signed_in(user) and credential.user_id == user.id
