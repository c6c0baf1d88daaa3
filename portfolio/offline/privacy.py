"""Sent-once keys in a person's data download and their erasure (see privacy/registry.py)."""

from __future__ import annotations

from sqlalchemy import delete, select

from ..extensions import db
from .models import SentOnceKey


def personal_keys(user_id: int, rows) -> list:
    """The keys their phone sent forms with; `rows` is the download's row reader."""
    return rows(select(SentOnceKey).where(SentOnceKey.user_id == user_id))


def erase_keys(user_id: int) -> int:
    """Their keys go: the records made with them stay, each under its own rules."""
    return db.session.execute(delete(SentOnceKey).where(SentOnceKey.user_id == user_id)
                              .execution_options(synchronize_session=False)).rowcount
