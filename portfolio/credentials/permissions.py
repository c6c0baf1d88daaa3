"""Who may do what with credentials: verifying is public; the files are the holder's."""

from __future__ import annotations

from sqlalchemy import exists, select

from ..extensions import db
from ..viewer_facts import viewer_fact
from .models import Credential


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def holds_credential_expression(user_id):
    """SQL: whether this person has been issued a credential (a viewer fact for the header)."""
    return exists().where(Credential.user_id == user_id)


def holds_a_credential(user) -> bool:
    """Who sees "My credentials" in the header: people who have been issued one."""
    if not _signed_in(user):
        return False
    return bool(viewer_fact("holds_a_credential", lambda: db.session.scalar(
        select(holds_credential_expression(user.id)))))


def can_download(user, credential: Credential) -> bool:
    return _signed_in(user) and credential.user_id == user.id
