"""Single sign-on identities in a person's data download and in their erasure (called by
portfolio.privacy, which lists the table in its registry)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select

from ..extensions import db
from .models import SsoIdentity


def personal_identities(user_id: int, rows: Callable) -> list[dict]:
    """The provider accounts linked to theirs: issuer, subject, the address that linked it."""
    return rows(select(SsoIdentity).where(SsoIdentity.user_id == user_id))


def erase_identities(user_id: int) -> int:
    """Unlink every provider account (the pseudonymised row of users stays, so no cascade)."""
    return db.session.execute(delete(SsoIdentity).where(SsoIdentity.user_id == user_id)
                              .execution_options(synchronize_session=False)).rowcount
