"""Comments, review requests, immutable sign-off records, revocations and completions."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
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
from ..entries.models import entry_cohort_default
from ..extensions import db
from .status import (  # noqa: F401  (re-exported: forms and exports read the words)
    DECISIONS,
    OPEN_STATUSES,
    Decision,
    RequestStatus,
)

if TYPE_CHECKING:
    from ..auth.models import User
    from ..entries.models import Entry, EntryVersion
    from ..frameworks.models import Competency
    from ..observations.models import Observation
    from ..programmes.models import Cohort, CohortMembership



class CommentKind(StrEnum):
    COMMENT = "comment"
    PEER_FEEDBACK = "peer_feedback"  # structured: what worked, what to try, a question


COMMENT_KINDS = tuple(CommentKind)


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_entry_created", "entry_id", "created_at"),
        # The same form sent twice (a double click, a retried post) is stored once.
        Index("uq_comments_author_submission", "author_id", "submission_key", unique=True),
        # A cohort's newest comments (a coach developer's recent activity), as for versions.
        Index("ix_comments_cohort_created", "cohort_id", "created_at"),
        # A person's comments: on which entry and when, without reading the comment rows.
        Index("ix_comments_author_entry_created", "author_id", "entry_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    # The entry's cohort, copied as the comment is made (see EntryVersion.cohort_id).
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"),
                                                  default=entry_cohort_default)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"),
                                                  index=True)
    kind: Mapped[CommentKind] = mapped_column(state_type(CommentKind, "kind"),
                                              default=CommentKind.COMMENT)
    body: Mapped[str] = mapped_column(Text, default="")
    # Structured peer feedback (kind == CommentKind.PEER_FEEDBACK).
    what_worked: Mapped[str] = mapped_column(Text, default="")
    what_to_try: Mapped[str] = mapped_column(Text, default="")
    question: Mapped[str] = mapped_column(Text, default="")
    version_number: Mapped[int | None] = mapped_column(Integer)
    # A hash of the posting form's one-time key and what it said; None for older comments.
    submission_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    entry: Mapped[Entry] = relationship()
    author: Mapped[User | None] = relationship()
    replies: Mapped[list[Comment]] = relationship(order_by="Comment.created_at")


# At most one open request per entry: a double click or a retried send cannot make two.
_ONE_OPEN = text("status IN ('open', 'in_review')")

# Their words and colours live in status.py, with the entry's review state derived from them.
REQUEST_STATUSES = tuple(RequestStatus)


class ReviewRequest(db.Model):
    __tablename__ = "review_requests"
    __table_args__ = (
        Index("ix_review_requests_assignee_status", "assigned_to_id", "status"),
        Index("ix_review_requests_cohort_status", "cohort_id", "status"),
        Index("uq_review_requests_one_open_per_entry", "entry_id", unique=True,
              sqlite_where=_ONE_OPEN, postgresql_where=_ONE_OPEN),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"),
                                          index=True)
    entry_version_id: Mapped[int] = mapped_column(ForeignKey("entry_versions.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                              index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    # None: any coach developer of the cohort may take it.
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[RequestStatus] = mapped_column(state_type(RequestStatus, "status"),
                                                  default=RequestStatus.OPEN)
    due_on: Mapped[date] = mapped_column(Date)
    message: Mapped[str] = mapped_column(Text, default="")  # candidate's note to the reviewer
    overall_feedback: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The coach developer who started the review (shown to colleagues and the candidate).
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                      index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                     index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lock_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    # An observation of the candidate's session attached as evidence (same cohort, theirs).
    observation_id: Mapped[int | None] = mapped_column(
        ForeignKey("observations.id", ondelete="SET NULL"), index=True)

    entry: Mapped[Entry] = relationship()
    entry_version: Mapped[EntryVersion] = relationship()
    observation: Mapped[Observation | None] = relationship()
    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    started_by: Mapped[User | None] = relationship(foreign_keys=[started_by_id])
    cohort: Mapped[Cohort] = relationship()
    competencies: Mapped[list[ReviewRequestCompetency]] = relationship(
        back_populates="request", cascade="all, delete-orphan", passive_deletes=True)

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReviewRequestCompetency(db.Model):
    __tablename__ = "review_request_competencies"
    __table_args__ = (UniqueConstraint("request_id", "competency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("review_requests.id", ondelete="CASCADE"), index=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"), index=True)

    request: Mapped[ReviewRequest] = relationship(back_populates="competencies")
    competency: Mapped[Competency] = relationship()




class SignoffRole(StrEnum):
    COACH_DEVELOPER = "coach_developer"
    PEER = "peer"


SIGNOFF_ROLES = tuple(SignoffRole)


class Signoff(db.Model):
    """An immutable decision on one competency for one entry version.

    The database refuses UPDATE and DELETE (triggers installed by the migration); a lead or
    admin revokes by adding a SignoffRevocation.
    """

    __tablename__ = "signoffs"
    __table_args__ = (
        UniqueConstraint("review_request_id", "competency_id"),
        UniqueConstraint("entry_version_id", "competency_id", "reviewer_id", "role"),
        Index("ix_signoffs_candidate_competency", "candidate_id", "competency_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[SignoffRole] = mapped_column(state_type(SignoffRole, "role", length=20))
    decision: Mapped[Decision] = mapped_column(state_type(Decision, "decision"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"), index=True)
    competency_code: Mapped[str] = mapped_column(String(32))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), index=True)
    entry_version_id: Mapped[int] = mapped_column(ForeignKey("entry_versions.id"), index=True)
    version_number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    review_request_id: Mapped[int | None] = mapped_column(ForeignKey("review_requests.id"),
                                                          index=True)
    feedback: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    competency: Mapped[Competency] = relationship()
    entry: Mapped[Entry] = relationship()
    entry_version: Mapped[EntryVersion] = relationship()
    revocation: Mapped[SignoffRevocation | None] = relationship(
        back_populates="signoff", uselist=False)

    @property
    def is_valid(self) -> bool:
        return self.decision == Decision.SIGNED_OFF and self.revocation is None


class SignoffRevocation(db.Model):
    __tablename__ = "signoff_revocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    signoff_id: Mapped[int] = mapped_column(ForeignKey("signoffs.id"), unique=True)
    revoked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    signoff: Mapped[Signoff] = relationship(back_populates="revocation")
    revoked_by: Mapped[User] = relationship()


class ProgrammeCompletion(db.Model):
    """A programme lead's final sign-off that a candidate has completed the programme.

    A membership's completions are numbered 1, 2, ...: a revoked completion stays on record and
    a later one takes the next number, so two leads recording at once collide on the index.
    """

    __tablename__ = "programme_completions"
    __table_args__ = (UniqueConstraint("membership_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("cohort_memberships.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    membership: Mapped[CohortMembership] = relationship()
    recorded_by: Mapped[User] = relationship()
    revocation: Mapped[ProgrammeCompletionRevocation | None] = relationship(
        back_populates="completion", uselist=False)

    @property
    def is_revoked(self) -> bool:
        return self.revocation is not None


class ProgrammeCompletionRevocation(db.Model):
    """A programme lead's withdrawal of a completion, with the reason; the completion stays."""

    __tablename__ = "programme_completion_revocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    completion_id: Mapped[int] = mapped_column(
        ForeignKey("programme_completions.id", ondelete="CASCADE"), unique=True)
    revoked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    completion: Mapped[ProgrammeCompletion] = relationship(back_populates="revocation")
    revoked_by: Mapped[User] = relationship()


APPEND_ONLY_TABLES = ["signoffs", "signoff_revocations", "programme_completions",
                      "programme_completion_revocations"]


class AppendOnlyViolation(RuntimeError):
    """Code tried to change or delete a sign-off, revocation or completion record."""


def _refuse_changes(mapper, connection, target):
    state = inspect_state(target)
    changed = [attr.key for attr in mapper.column_attrs
               if state.attrs[attr.key].history.has_changes()]
    if changed:
        raise AppendOnlyViolation(
            f"{mapper.local_table.name} rows are append-only; refused to change {changed}")


def _refuse_delete(mapper, connection, target):
    raise AppendOnlyViolation(f"{mapper.local_table.name} rows are append-only; refused delete")


# The database triggers are the real guard; these stop the ORM before it even tries.
for _model in (Signoff, SignoffRevocation, ProgrammeCompletion, ProgrammeCompletionRevocation):
    event.listen(_model, "before_update", _refuse_changes)
    event.listen(_model, "before_delete", _refuse_delete)
