"""The sign-off codes in a person's data download and their erasure (see privacy/registry.py)."""

from __future__ import annotations

from sqlalchemy import delete, or_, select

from ..extensions import db
from .models import QuickSignCode


def _about(user_id: int):
    return or_(QuickSignCode.candidate_id == user_id, QuickSignCode.used_by_id == user_id)


def personal_codes(user_id: int, rows) -> list:
    """Codes they showed or used, never a code's hash; `rows` is the download's row reader."""
    return rows(select(QuickSignCode).where(_about(user_id)), exclude={"token_hash"})


def erase_codes(user_id: int) -> int:
    """Codes they showed or used go: the decisions made with them are the sign-offs."""
    return db.session.execute(delete(QuickSignCode).where(_about(user_id))
                              .execution_options(synchronize_session=False)).rowcount
