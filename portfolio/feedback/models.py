"""External feedback: a candidate asks someone without an account (a club head coach, a mentor,
an adult athlete, a parent) for feedback on one session, through a one-time link.

A request stores only the SHA-256 hash of its token. It expires after 14 days, can be withdrawn
while unused, and is used once: the submission that sets `used_at` (an atomic UPDATE ... WHERE
used_at IS NULL) is the only one whose feedback is stored. The feedback is testimony, never a
sign-off, and nobody edits it afterwards. Sending is rate-limited per candidate and day by a
unique (candidate, day, slot) index, so two sends at once cannot both take the last slot.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, state_type, utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User
    from ..entries.models import Entry


class Relationship(StrEnum):
    HEAD_COACH = "head_coach"
    MENTOR = "mentor"
    ATHLETE = "athlete"
    PARENT = "parent"
    OTHER = "other"


RELATIONSHIP_LABELS = {
    Relationship.HEAD_COACH: "Club head coach",
    Relationship.MENTOR: "Mentor",
    Relationship.ATHLETE: "Adult athlete",
    Relationship.PARENT: "Parent or carer",
    Relationship.OTHER: "Someone else who saw the session",
}


class FeedbackRequest(db.Model):
    """One person asked for feedback on one session; only the token's hash is kept."""

    __tablename__ = "feedback_requests"
    __table_args__ = (
        UniqueConstraint("candidate_id", "quota_day", "quota_slot",
                         name="uq_feedback_requests_quota"),
        CheckConstraint("quota_slot >= 1", name="quota_slot_positive"),
        Index("ix_feedback_requests_candidate_created", "candidate_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The cohort the candidate asked in: whose coach developers and peer group may read it.
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"),
                                                  index=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="SET NULL"),
                                                 index=True)
    # What the person is shown: copied when asked, so later edits of the entry never show more.
    session_title: Mapped[str] = mapped_column(String(200))
    session_date: Mapped[date] = mapped_column(Date)
    question: Mapped[str] = mapped_column(Text, default="")
    recipient_name: Mapped[str] = mapped_column(String(120))
    recipient_email: Mapped[str] = mapped_column(String(254))
    # How they know the candidate's coaching (named `relation`: `relationship` is SQLAlchemy's).
    relation: Mapped[Relationship] = mapped_column(state_type(Relationship, "relation"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    shared_with_peers: Mapped[bool] = mapped_column(Boolean, default=False)
    # The mail carrying the link: erasing the candidate takes it out of the outbox too.
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL"), index=True)
    # The rate limit: the n-th request a candidate sends on a UTC day takes slot n.
    quota_day: Mapped[date] = mapped_column(Date)
    quota_slot: Mapped[int] = mapped_column(Integer)

    candidate: Mapped[User] = relationship()
    entry: Mapped[Entry | None] = relationship()
    feedback: Mapped[ExternalFeedback | None] = relationship(
        back_populates="request", uselist=False, cascade="all, delete-orphan",
        passive_deletes=True)

    @property
    def relationship_label(self) -> str:
        return RELATIONSHIP_LABELS.get(self.relation, "")


class ExternalFeedback(db.Model):
    """What the person wrote through the link: testimony attributed to the address asked."""

    __tablename__ = "external_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One feedback per request, whatever reaches the database: the second is refused.
    request_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_requests.id", ondelete="CASCADE"), unique=True)
    went_well: Mapped[str] = mapped_column(Text, default="")
    could_be_better: Mapped[str] = mapped_column(Text, default="")
    comments: Mapped[str] = mapped_column(Text, default="")
    giver_role: Mapped[str] = mapped_column(String(200), default="")
    # Copied from the request when submitted: who the link was sent to (plain text only).
    attributed_name: Mapped[str] = mapped_column(String(120))
    attributed_email: Mapped[str] = mapped_column(String(254))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    request: Mapped[FeedbackRequest] = relationship(back_populates="feedback")
