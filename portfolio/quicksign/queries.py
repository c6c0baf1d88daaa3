"""Read-side queries for the sign-off code pages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..reviews.models import ReviewRequest, Signoff
from .models import QuickSignCode


def code_loads() -> tuple:
    """What every code page reads: the entry, the version and the review request."""
    return (joinedload(QuickSignCode.entry), joinedload(QuickSignCode.entry_version),
            joinedload(QuickSignCode.review_request).selectinload(ReviewRequest.competencies))


def decisions_made(code: QuickSignCode) -> list[Signoff]:
    """The sign-offs its signer recorded with this code, in the request's order."""
    if code.used_by_id is None:
        return []
    return list(db.session.scalars(select(Signoff).where(
        Signoff.review_request_id == code.review_request_id,
        Signoff.reviewer_id == code.used_by_id).order_by(Signoff.id)))
