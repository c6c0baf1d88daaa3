"""Consent records in a person's data download and in their erasure (called by
portfolio.privacy, which lists the table in its registry)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select

from ..extensions import db
from .models import ConsentRecord


def personal_consent(user_id: int, rows: Callable) -> list[dict]:
    """The consent they recorded for their own evidence and observations."""
    return rows(select(ConsentRecord).where(ConsentRecord.owner_id == user_id))


def erase_consent(user_id: int) -> int:
    """Their records go with their evidence: they name a parent or carer, nobody else's data."""
    return db.session.execute(delete(ConsentRecord).where(ConsentRecord.owner_id == user_id)
                              .execution_options(synchronize_session=False)).rowcount
