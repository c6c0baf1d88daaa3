"""Read-side queries for audit pages."""

from __future__ import annotations

from sqlalchemy import select

from ..auth.models import User
from ..extensions import db


def display_names(ids) -> dict[int, str]:
    """Display names of these accounts (one query); erased accounts are left out."""
    ids = {int(item) for item in ids if item}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.display_name).where(
        User.id.in_(ids), User.erased_at.is_(None))).all())
