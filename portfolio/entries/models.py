"""Reflective entries (a working copy plus immutable saved versions), philosophy and goals."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    DDL,
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..database import TimestampMixin, UTCDateTime, state_type, utcnow
from ..extensions import db
from ..text import render_markdown, render_sections

if TYPE_CHECKING:
    from ..auth.models import User
    from ..frameworks.models import Competency
    from ..programmes.models import Cohort


class PrivacyTier(StrEnum):
    """Who may read an entry, a philosophy or a goal."""

    PRIVATE = "private"  # learning-only: nobody but the author, ever
    PEERS = "peers"
    DEVELOPERS = "developers"
    COHORT = "cohort"


class EntryStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class ReviewStatus(StrEnum):
    """An entry's stored review state, read by the portfolio's status filter.

    Derived from its review requests by reviews/status.py, which also holds the words."""

    NONE = "none"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    REVIEWED = "reviewed"  # reviewed, some competencies not yet signed off
    SIGNED_OFF = "signed_off"


class GoalStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


class RescueTarget(StrEnum):
    """What a rescued draft was written for."""

    ENTRY = "entry"
    NEW_ENTRY = "new_entry"
    PHILOSOPHY = "philosophy"
    FORM = "form"  # a comment, reply, peer feedback or review decision (form_rescue.py)


PRIVACY_TIERS = {
    PrivacyTier.PRIVATE: "Only me",
    PrivacyTier.PEERS: "My peer group and coach developers",
    PrivacyTier.DEVELOPERS: "Coach developers only",
    PrivacyTier.COHORT: "Whole cohort",
}
SESSION_TYPES = {
    "training": "Training session",
    "competition": "Competition",
    "observation": "Observation of another coach",
    "mentoring": "Mentoring or coach developer conversation",
    "other": "Other",
}
ENTRY_STATUSES = tuple(EntryStatus)
REVIEW_STATUSES = tuple(ReviewStatus)
# A wider tier chosen in the working copy, or nothing pending ("").
_PENDING_PRIVACY_OK = "pending_privacy IN ('', {})".format(
    ", ".join(f"'{tier.value}'" for tier in PrivacyTier))


class EntryWords:
    """How an entry's title and tier read, for the entry itself and for the plain rows the
    lists read (`queries.EntryListRow`): both have `title` and `privacy`."""

    __slots__ = ()

    @property
    def is_private(self) -> bool:
        return self.privacy == PrivacyTier.PRIVATE

    @property
    def privacy_label(self) -> str:
        return PRIVACY_TIERS.get(self.privacy, self.privacy)

    @property
    def display_title(self) -> str:
        return self.title or "Untitled entry"


class Entry(EntryWords, TimestampMixin, db.Model):
    """The working copy the author edits (autosaved); readers see the latest saved version."""

    __tablename__ = "entries"
    __table_args__ = (
        Index("ix_entries_owner_updated", "owner_id", "updated_at"),
        Index("ix_entries_cohort_privacy", "cohort_id", "privacy"),
        CheckConstraint(_PENDING_PRIVACY_OK, name="pending_privacy"),
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
    privacy: Mapped[PrivacyTier] = mapped_column(state_type(PrivacyTier, "privacy"),
                                                 default=PrivacyTier.PRIVATE)
    # A wider audience chosen in the working copy: it takes effect with the next saved version,
    # so an autosave never shows readers more than the author has deliberately saved.
    pending_privacy: Mapped[str] = mapped_column(String(16), default="")
    status: Mapped[EntryStatus] = mapped_column(state_type(EntryStatus, "status"),
                                                default=EntryStatus.DRAFT)
    review_status: Mapped[ReviewStatus] = mapped_column(
        state_type(ReviewStatus, "review_status"), default=ReviewStatus.NONE)
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
        back_populates="entry", order_by="EntryTag.name_key", cascade="all, delete-orphan",
        passive_deletes=True)

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def chosen_privacy(self) -> str:
        """The tier the author last chose, whether or not it has taken effect yet."""
        return self.pending_privacy or self.privacy

    @property
    def is_published(self) -> bool:
        return self.status == EntryStatus.PUBLISHED


def entry_cohort_default(context):
    """The cohort of the entry a new row belongs to, for rows made without saying it (the
    services pass `cohort_id=entry.cohort_id`; this catches every other insert)."""
    entry_id = context.get_current_parameters().get("entry_id")
    if entry_id is None:
        return None
    return context.connection.scalar(
        Entry.__table__.select().with_only_columns(Entry.__table__.c.cohort_id)
        .where(Entry.__table__.c.id == entry_id))


class EntryVersion(db.Model):
    """An immutable snapshot made by each save; restore copies one into a new version."""

    __tablename__ = "entry_versions"
    __table_args__ = (
        UniqueConstraint("entry_id", "number"),
        # A cohort's newest versions, read by walking this index (a coach developer's recent
        # activity) instead of gathering every version of every candidate and sorting.
        Index("ix_entry_versions_cohort_created", "cohort_id", "created_at"),
        # An entry's versions and when each was made, without reading their (wide) content.
        Index("ix_entry_versions_entry_created", "entry_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    # The entry's cohort, copied as the version is made (an entry's cohort is set once; see
    # `_carry_cohort` for the one case where it is set later).
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"),
                                                  default=entry_cohort_default)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    # Everything else that was saved: sections, context, privacy, claimed competency ids,
    # evidence ids, tags. Kept as one document so a version can never be half-updated.
    content: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    # Indexed for "newest first" walks (the lead's recent activity).
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                      index=True)
    note: Mapped[str] = mapped_column(String(200), default="")  # e.g. "Restored from version 2"
    # Section key -> sanitised HTML, rendered once as the version is inserted; every reader
    # shows this (the `stored_html` filter) and never renders the Markdown again.
    rendered: Mapped[dict] = mapped_column(JSON, default=lambda context: render_sections(
        (context.get_current_parameters().get("content") or {}).get("sections")))

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
    """A tag as the author wrote it ("U17"); "u17" is the same tag on the same entry."""

    __tablename__ = "entry_tags"
    __table_args__ = (UniqueConstraint("entry_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"),
                                          index=True)
    name: Mapped[str] = mapped_column(String(40), index=True)
    # The case-folded name: tags match and are unique per entry whatever their case.
    name_key: Mapped[str] = mapped_column(String(40), index=True)

    entry: Mapped[Entry] = relationship(back_populates="tags")

    @validates("name")
    def _keep_key(self, _key, name: str) -> str:
        self.name_key = tag_key(name)
        return name


def tag_key(name: str) -> str:
    return (name or "").casefold()[:40]


class EntryRead(db.Model):
    """The latest version of someone else's entry a reader has opened, for "Shared with me":
    a later saved version shows as changed since they last looked."""

    __tablename__ = "entry_reads"
    __table_args__ = (UniqueConstraint("user_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"),
                                          index=True)
    version_number: Mapped[int] = mapped_column(Integer)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PhilosophyStatement(TimestampMixin, db.Model):
    """One per candidate: 'what good coaching looks like for me, and why', versioned."""

    __tablename__ = "philosophy_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                          unique=True)
    body: Mapped[str] = mapped_column(Text, default="")  # working copy
    privacy: Mapped[PrivacyTier] = mapped_column(state_type(PrivacyTier, "privacy"),
                                                 default=PrivacyTier.DEVELOPERS)
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
    # The body's sanitised HTML, rendered once as the version is inserted (see EntryVersion).
    rendered: Mapped[str] = mapped_column(Text, default=lambda context: str(render_markdown(
        context.get_current_parameters().get("body"))))

    statement: Mapped[PhilosophyStatement] = relationship(back_populates="versions")


GOAL_STATUSES = {
    GoalStatus.NOT_STARTED: "Not started",
    GoalStatus.IN_PROGRESS: "In progress",
    GoalStatus.ACHIEVED: "Achieved",
    GoalStatus.DROPPED: "No longer pursuing",
}

goal_competencies = Table(
    "goal_competencies",
    db.metadata,
    Column("goal_id", ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True),
    Column("competency_id", ForeignKey("competencies.id"), primary_key=True, index=True),
)


class Goal(TimestampMixin, db.Model):
    __tablename__ = "goals"
    # The same "add goal" form sent twice (a double click) adds one goal (portfolio/once.py).
    __table_args__ = (
        Index("uq_goals_owner_submission", "owner_id", "submission_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[GoalStatus] = mapped_column(state_type(GoalStatus, "status"),
                                               default=GoalStatus.NOT_STARTED)
    privacy: Mapped[PrivacyTier] = mapped_column(state_type(PrivacyTier, "privacy"),
                                                 default=PrivacyTier.DEVELOPERS)
    submission_key: Mapped[str | None] = mapped_column(String(64))
    # Optimistic locking: an edit based on an older lock_version gets a conflict page.
    lock_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    owner: Mapped[User] = relationship()
    competencies: Mapped[list[Competency]] = relationship(secondary=goal_competencies)
    notes: Mapped[list[GoalNote]] = relationship(
        back_populates="goal", order_by="GoalNote.created_at", cascade="all, delete-orphan",
        passive_deletes=True)

    __mapper_args__ = {"version_id_col": lock_version}


class GoalNote(db.Model):
    __tablename__ = "goal_notes"
    __table_args__ = (
        Index("uq_goal_notes_goal_submission", "goal_id", "submission_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    submission_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    goal: Mapped[Goal] = relationship(back_populates="notes")


class DraftRescue(db.Model):
    """Text posted after the author's session had ended, kept until they sign in again.

    The browser session holds only a random key; the row holds its hash, so the text can be
    claimed only by the same browser, and only by the author it was written for.
    """

    __tablename__ = "draft_rescues"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                                index=True)
    target: Mapped[RescueTarget] = mapped_column(state_type(RescueTarget, "target"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"),
                                                 index=True)
    payload: Mapped[dict] = mapped_column(JSON)  # form field -> list of posted values
    address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


# Saved versions never change: the database itself refuses an UPDATE of their content, so a
# sign-off's version and hash keep meaning what the reviewer saw. (Deleting a whole entry, and
# the SET NULL of a departed author's id, stay possible.) `rendered` is derived from the
# content: the application never changes it either (below), but a migration may render the
# stored HTML again when the renderer or the allow-list changes.
_FROZEN_COLUMNS = {
    "entry_versions": "entry_id, number, title, content, content_hash, created_at",
    "philosophy_versions": "statement_id, number, body, content_hash, created_at",
}


def immutable_version_statements(table: str, dialect: str) -> list[str]:
    """SQL making the database refuse changes to a version table's content columns."""
    columns = _FROZEN_COLUMNS[table]
    if dialect == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION {table}_immutable() RETURNS trigger AS $$
                BEGIN
                  RAISE EXCEPTION '{table} rows are immutable' USING ERRCODE = 'raise_exception';
                END; $$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER {table}_immutable BEFORE UPDATE OF {columns} ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_immutable()""",
        ]
    return [f"""CREATE TRIGGER {table}_immutable BEFORE UPDATE OF {columns} ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} rows are immutable'); END"""]


def _install_immutability(table) -> None:
    for dialect in ("postgresql", "sqlite"):
        for statement in immutable_version_statements(table.name, dialect):
            event.listen(table, "after_create", DDL(statement).execute_if(dialect=dialect))


_install_immutability(EntryVersion.__table__)


@event.listens_for(Entry, "after_update")
def _carry_cohort(_mapper, connection, entry: Entry) -> None:
    """An entry written before its author joined a cohort joins it later: its versions and
    comments follow, so the cohort's activity (read by their own cohort_id) includes them."""
    from ..reviews.models import Comment  # the reviews models import this module

    history = inspect(entry).attrs.cohort_id.history
    if not history.has_changes():
        return
    for table in (EntryVersion.__table__, Comment.__table__):
        connection.execute(table.update().where(table.c.entry_id == entry.id)
                           .values(cohort_id=entry.cohort_id))
_install_immutability(PhilosophyVersion.__table__)


@event.listens_for(EntryVersion, "before_update")
@event.listens_for(PhilosophyVersion, "before_update")
def _refuse_version_change(mapper, connection, target) -> None:
    from sqlalchemy import inspect

    state = inspect(target)
    frozen = {"title", "content", "content_hash", "number", "body", "entry_id", "statement_id",
              "rendered"}
    changed = [attr.key for attr in state.attrs
               if attr.key in frozen and attr.history.has_changes()]
    if changed:
        raise ValueError(f"saved versions are immutable (tried to change {', '.join(changed)})")
