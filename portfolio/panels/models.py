"""End-of-programme review panels: who sits, what the candidate submits, notes and the outcome.

A programme lead schedules a panel for one candidate of a cohort: the panel date, a review
window (calendar days, UK time), the members (coach developers, leads, external assessors who
were invited by a one-time link) and a chair. Before the window opens the candidate submits a
locked copy of one of their showcases (and may submit another copy until then). During the
window the members read it with the candidate's progress and each keeps their own private
notes; the chair then records the outcome, chosen from a list the leads manage.

The outcome is a qualification record: it copies the option's words, and the database refuses
to change or delete it (like sign-offs). Notes are the panel's working papers: never shown to
the candidate.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy import inspect as inspect_state
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, state_type, utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User
    from ..programmes.models import Cohort
    from ..showcases.models import Showcase


class PanelStatus(StrEnum):
    SCHEDULED = "scheduled"
    DECIDED = "decided"
    CANCELLED = "cancelled"


class PanelSeat(StrEnum):
    """Why a person sits on the panel (the chair is also a seat-holder, named on the panel)."""

    COACH_DEVELOPER = "coach_developer"
    LEAD = "lead"
    EXTERNAL = "external"


SEAT_LABELS = {
    PanelSeat.COACH_DEVELOPER: "Coach developer",
    PanelSeat.LEAD: "Programme lead",
    PanelSeat.EXTERNAL: "External assessor",
}

# The options every installation starts with; leads rename, reorder, add and retire them.
DEFAULT_OUTCOMES = (
    # label, completes the programme, needs an extension in months
    ("Complete", True, False),
    ("Complete with conditions", True, False),
    ("Extend by N months", False, True),
    ("Not yet", False, False),
)


class OutcomeOption(db.Model):
    __tablename__ = "panel_outcome_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(80), unique=True)
    completes_programme: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_extension: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# At most one panel waiting for an outcome per candidate and cohort: scheduling a cohort twice
# (a double click, two leads at once) cannot make two.
_WAITING = text("status = 'scheduled'")


class ReviewPanel(db.Model):
    __tablename__ = "review_panels"
    __table_args__ = (
        Index("ix_review_panels_cohort_candidate", "cohort_id", "candidate_id"),
        Index("uq_review_panels_one_waiting", "cohort_id", "candidate_id", unique=True,
              sqlite_where=_WAITING, postgresql_where=_WAITING),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    panel_on: Mapped[date] = mapped_column(Date)
    window_opens_on: Mapped[date] = mapped_column(Date)
    window_closes_on: Mapped[date] = mapped_column(Date)
    chair_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The locked copy the candidate submitted (None until they do; an erased candidate's
    # showcases go, the panel and its outcome stay).
    showcase_id: Mapped[int | None] = mapped_column(
        ForeignKey("showcases.id", ondelete="SET NULL"), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[PanelStatus] = mapped_column(state_type(PanelStatus, "status"),
                                                default=PanelStatus.SCHEDULED)
    scheduled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    cohort: Mapped[Cohort] = relationship()
    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])
    chair: Mapped[User] = relationship(foreign_keys=[chair_id])
    showcase: Mapped[Showcase | None] = relationship()
    members: Mapped[list[PanelMember]] = relationship(
        back_populates="panel", order_by="PanelMember.id", cascade="all, delete-orphan",
        passive_deletes=True)
    outcome: Mapped[PanelOutcome | None] = relationship(back_populates="panel", uselist=False)

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def member_ids(self) -> set[int]:
        return {member.user_id for member in self.members} | {self.chair_id}


class PanelMember(db.Model):
    __tablename__ = "panel_members"
    __table_args__ = (UniqueConstraint("panel_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("review_panels.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    seat: Mapped[PanelSeat] = mapped_column(state_type(PanelSeat, "seat", length=20))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    panel: Mapped[ReviewPanel] = relationship(back_populates="members")
    user: Mapped[User] = relationship()

    @property
    def seat_label(self) -> str:
        return SEAT_LABELS[self.seat]


class PanelNote(db.Model):
    """One member's own notes on one panel: read by the panel, never by the candidate."""

    __tablename__ = "panel_notes"
    __table_args__ = (UniqueConstraint("panel_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("review_panels.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                           index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    author: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}


class PanelOutcome(db.Model):
    """The chair's decision for a panel: immutable, one per panel, the option's words copied."""

    __tablename__ = "panel_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("review_panels.id"), unique=True)
    option_id: Mapped[int | None] = mapped_column(ForeignKey("panel_outcome_options.id"),
                                                  index=True)
    option_label: Mapped[str] = mapped_column(String(80))
    completes_programme: Mapped[bool] = mapped_column(Boolean, default=False)
    extension_months: Mapped[int | None] = mapped_column(Integer)
    reasons: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    panel: Mapped[ReviewPanel] = relationship(back_populates="outcome")
    decided_by: Mapped[User] = relationship()

    @property
    def label(self) -> str:
        return outcome_words(self.option_label, self.extension_months)


def outcome_words(option_label: str, extension_months: int | None) -> str:
    """An outcome as people read it: "Extend by N months" with its N filled in."""
    if extension_months:
        return option_label.replace("N", str(extension_months)) \
            if " N " in f" {option_label} " else f"{option_label} ({extension_months} months)"
    return option_label


APPEND_ONLY_TABLES = ["panel_outcomes"]


class OutcomeChanged(RuntimeError):
    """Code tried to change or delete a recorded panel outcome."""


def _refuse_changes(mapper, connection, target):
    state = inspect_state(target)
    if any(state.attrs[attr.key].history.has_changes() for attr in mapper.column_attrs):
        raise OutcomeChanged("panel_outcomes rows are append-only")


def _refuse_delete(mapper, connection, target):
    raise OutcomeChanged("panel_outcomes rows are append-only")


# The database triggers are the real guard; these stop the ORM before it even tries.
event.listen(PanelOutcome, "before_update", _refuse_changes)
event.listen(PanelOutcome, "before_delete", _refuse_delete)
