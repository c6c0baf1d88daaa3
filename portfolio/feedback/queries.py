"""Read-side queries for the feedback pages (each a fixed number of statements)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..entries.models import Entry
from ..extensions import db
from .models import FeedbackRequest


def requests_of(candidate_id: int) -> list[FeedbackRequest]:
    """The candidate's requests, newest first, with any feedback given."""
    return list(db.session.scalars(
        select(FeedbackRequest).options(joinedload(FeedbackRequest.feedback),
                                        joinedload(FeedbackRequest.candidate))
        .where(FeedbackRequest.candidate_id == candidate_id)
        .order_by(FeedbackRequest.created_at.desc(), FeedbackRequest.id.desc())))


def answered_requests_of(candidate_id: int) -> list[FeedbackRequest]:
    """The candidate's requests that have feedback, newest feedback first."""
    return [request for request in requests_of(candidate_id) if request.feedback is not None]


def request_with_feedback(request_id: int) -> FeedbackRequest | None:
    return db.session.scalar(
        select(FeedbackRequest).options(joinedload(FeedbackRequest.feedback),
                                        joinedload(FeedbackRequest.candidate))
        .where(FeedbackRequest.id == request_id))


def entries_to_ask_about(owner_id: int) -> list[tuple[int, str]]:
    """(id, title) of the candidate's own entries, newest session first."""
    return list(db.session.execute(
        select(Entry.id, Entry.title).where(Entry.owner_id == owner_id)
        .order_by(Entry.practice_date.desc().nulls_last(), Entry.id.desc()).limit(200)))


def personal_data_of(candidate_id: int) -> list[dict]:
    """The candidate's requests with any feedback given, for their personal-data download
    (never the token's hash)."""
    def plain(row, exclude=frozenset()) -> dict:
        values = {column.key: getattr(row, column.key) for column in row.__table__.columns
                  if column.key not in exclude}
        return {key: value.isoformat() if hasattr(value, "isoformat") else value
                for key, value in values.items()}

    return [plain(request, {"token_hash"}) | {
        "feedback": plain(request.feedback) if request.feedback is not None else None}
        for request in reversed(requests_of(candidate_id))]
