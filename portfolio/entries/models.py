"""Reflective entries (a working copy plus immutable saved versions), philosophy and goals."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import TimestampMixin, UTCDateTime, utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User
    from ..frameworks.models import Competency
    from ..programmes.models import Cohort

# Who may read an entry. "private" is learning-only: nobody but the author, ever.
PRIVACY_TIERS = {
    "private": "Only me",
    "peers": "My peer group and coach developers",
    "developers": "Coach developers only",
    "cohort": "Whole cohort",
}
SESSION_TYPES = {
    "training": "Training session",
    "competition": "Competition",
    "observation": "Observation of another coach",
    "mentoring": "Mentoring or coach developer conversation",
    "other": "Other",
}
ENTRY_STATUSES = ("draft", "published")
REVIEW_STATUSES = ("none", "submitted", "returned", "signed_off")


class Entry(TimestampMixin, db.Model):
    """The working copy the author edits (autosaved); readers see the latest saved version."""

    __tablename__ = "entries"
    __table_args__ = (
        Index("ix_entries_owner_updated", "owner_id", "updated_at"),
        Index("ix_entries_cohort_privacy", "cohort_id", "privacy"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    practice_date: Mapped[date | None] = mapped_column(Date)
    session_type: Mapped[str] = mapped_column(String(20), default="training")
    event_group: Mapped[str] = mapped_column(String(80), default="")
    athletes: Mapped[str] = mapped_column(Text, default="")  # described without names
    reflection_model: Mapped[str] = mapped_column(String(32), default="gibbs")
    sections: Mapped[dict] = mapped_column(JSON, default=dict)  # prompt key -> Markdown
    privacy: Mapped[str] = mapped_column(String(16), default="private")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    review_status: Mapped[str] = mapped_column(String(16), default="none")
    latest_version_number: Mapped[int] = mapped_column(Integer, default=0)
    working_hash: Mapped[str] = mapped_column(String(64), default="")
    autosaved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Optimistic locking: a save based on an older lock_version gets a conflict page.
    lock_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    owner: Mapped[User] = relationship()
    cohort: Mapped[Cohort | None] = relationship()
    versions: Mapped[list[EntryVersion]] = relationship(
        back_populates="entry", order_by="EntryVersion.number", cascade="all, delete-orphan",
        passive_deletes=True)
    claims: Mapped[list[EntryCompetency]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", passive_deletes=True)
    tags: Mapped[list[EntryTag]] = relationship(
        back_populates="entry", order_by="EntryTag.name", cascade="all, delete-orphan",
        passive_deletes=True)

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def is_private(self) -> bool:
        return self.privacy == "private"

    @property
    def privacy_label(self) -> str:
        return PRIVACY_TIERS.get(self.privacy, self.privacy)

    @property
    def display_title(self) -> str:
        return self.title or "Untitled entry"


class EntryVersion(db.Model):
    """An immutable snapshot made by each save; restore copies one into a new version."""

    __tablename__ = "entry_versions"
    __table_args__ = (UniqueConstraint("entry_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"),
                                          index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    # Everything else that was saved: sections, context, privacy, claimed competency ids,
    # evidence ids, tags. Kept as one document so a version can never be half-updated.
    content: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(200), default="")  # e.g. "Restored from version 2"

    entry: Mapped[Entry] = relationship(back_populates="versions")

    @property
    def sections(self) -> dict:
        return self.content.get("sections", {})

    @property
    def competency_ids(self) -> list[int]:
        return self.content.get("competency_ids", [])

    @property
    def evidence_ids(self) -> list[int]:
        return self.content.get("evidence_ids", [])


class EntryCompetency(db.Model):
    """A competency the author claims the entry demonstrates (working copy)."""

    __tablename__ = "entry_competencies"
    __table_args__ = (UniqueConstraint("entry_id", "competency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"),
                                          index=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"), index=True)

    entry: Mapped[Entry] = relationship(back_populates="claims")
    competency: Mapped[Competency] = relationship()


class EntryTag(db.Model):
    __tablename__ = "entry_tags"
    __table_args__ = (UniqueConstraint("entry_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"),
                                          index=True)
    name: Mapped[str] = mapped_column(String(40), index=True)

    entry: Mapped[Entry] = relationship(back_populates="tags")


class PhilosophyStatement(TimestampMixin, db.Model):
    """One per candidate: 'what good coaching looks like for me, and why', versioned."""

    __tablename__ = "philosophy_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                          unique=True)
    body: Mapped[str] = mapped_column(Text, default="")  # working copy
    privacy: Mapped[str] = mapped_column(String(16), default="developers")
    latest_version_number: Mapped[int] = mapped_column(Integer, default=0)
    autosaved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lock_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    owner: Mapped[User] = relationship()
    versions: Mapped[list[PhilosophyVersion]] = relationship(
        back_populates="statement", order_by="PhilosophyVersion.number",
        cascade="all, delete-orphan", passive_deletes=True)

    __mapper_args__ = {"version_id_col": lock_version}


class PhilosophyVersion(db.Model):
    __tablename__ = "philosophy_versions"
    __table_args__ = (UniqueConstraint("statement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("philosophy_statements.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    statement: Mapped[PhilosophyStatement] = relationship(back_populates="versions")


GOAL_STATUSES = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "achieved": "Achieved",
    "dropped": "No longer pursuing",
}

goal_competencies = Table(
    "goal_competencies",
    db.metadata,
    Column("goal_id", ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True),
    Column("competency_id", ForeignKey("competencies.id"), primary_key=True, index=True),
)


class Goal(TimestampMixin, db.Model):
    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    privacy: Mapped[str] = mapped_column(String(16), default="developers")

    owner: Mapped[User] = relationship()
    competencies: Mapped[list[Competency]] = relationship(secondary=goal_competencies)
    notes: Mapped[list[GoalNote]] = relationship(
        back_populates="goal", order_by="GoalNote.created_at", cascade="all, delete-orphan",
        passive_deletes=True)


class GoalNote(db.Model):
    __tablename__ = "goal_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    goal: Mapped[Goal] = relationship(back_populates="notes")
