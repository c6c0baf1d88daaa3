"""Programme years, pathways, specialisms, cohorts, membership and peer groups."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import TimestampMixin, UTCDateTime, state_type, utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User
    from ..frameworks.models import Framework


class YearStatus(StrEnum):
    PLANNING = "planning"
    ACTIVE = "active"
    CLOSED = "closed"
    ARCHIVED = "archived"  # read-only for everyone


class MemberRole(StrEnum):
    CANDIDATE = "candidate"
    COACH_DEVELOPER = "coach_developer"


class MembershipStatus(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    DEFERRED = "deferred"
    WITHDRAWN = "withdrawn"  # the only status that no longer counts for access
    COMPLETED = "completed"


class ImportStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"


YEAR_STATUSES = tuple(YearStatus)
MEMBER_ROLES = tuple(MemberRole)
MEMBER_STATUSES = tuple(MembershipStatus)


class ProgrammeYear(TimestampMixin, db.Model):
    __tablename__ = "programme_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(20), unique=True)  # e.g. "2026-2027"
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[YearStatus] = mapped_column(state_type(YearStatus, "status"),
                                               default=YearStatus.PLANNING)

    cohorts: Mapped[list[Cohort]] = relationship(back_populates="year", order_by="Cohort.name")

    @property
    def is_archived(self) -> bool:
        return self.status == YearStatus.ARCHIVED


class Pathway(db.Model):
    __tablename__ = "pathways"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Specialism(db.Model):
    __tablename__ = "specialisms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Cohort(TimestampMixin, db.Model):
    __tablename__ = "cohorts"
    __table_args__ = (UniqueConstraint("year_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("programme_years.id"), index=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id"), index=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    onboarding_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    turnaround_days: Mapped[int] = mapped_column(Integer, default=14)
    capacity: Mapped[int] = mapped_column(Integer, default=30)
    rolled_over_from_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), index=True)

    year: Mapped[ProgrammeYear] = relationship(back_populates="cohorts")
    pathway: Mapped[Pathway] = relationship()
    framework: Mapped[Framework] = relationship()
    memberships: Mapped[list[CohortMembership]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan")
    peer_groups: Mapped[list[PeerGroup]] = relationship(
        back_populates="cohort", order_by="PeerGroup.name", cascade="all, delete-orphan")

    @property
    def is_read_only(self) -> bool:
        return self.year.is_archived

    @property
    def label(self) -> str:
        """The name, with the year added unless the name already says it."""
        if self.year.label in self.name:
            return self.name
        return f"{self.name} ({self.year.label})"


membership_specialisms = Table(
    "membership_specialisms",
    db.metadata,
    Column("membership_id", ForeignKey("cohort_memberships.id", ondelete="CASCADE"),
           primary_key=True),
    Column("specialism_id", ForeignKey("specialisms.id"), primary_key=True, index=True),
)


class CohortMembership(TimestampMixin, db.Model):
    __tablename__ = "cohort_memberships"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id"),
        Index("ix_cohort_memberships_user_role", "user_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[MemberRole] = mapped_column(state_type(MemberRole, "role", length=20))
    status: Mapped[MembershipStatus] = mapped_column(state_type(MembershipStatus, "status"),
                                                     default=MembershipStatus.INVITED)
    # For candidates: their assigned coach developer (a user who is a developer in this cohort).
    coach_developer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    cohort: Mapped[Cohort] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    coach_developer: Mapped[User | None] = relationship(
        foreign_keys=[coach_developer_id])
    specialisms: Mapped[list[Specialism]] = relationship(
        secondary=membership_specialisms, order_by="Specialism.position")
    peer_group_link: Mapped[PeerGroupMember | None] = relationship(
        back_populates="membership", cascade="all, delete-orphan", uselist=False)

    @property
    def is_candidate(self) -> bool:
        return self.role == MemberRole.CANDIDATE

    @property
    def is_developer(self) -> bool:
        return self.role == MemberRole.COACH_DEVELOPER

    @property
    def is_current(self) -> bool:
        """Counts for access: invited, active, deferred or completed (not withdrawn)."""
        return self.status != MembershipStatus.WITHDRAWN


class PeerGroup(TimestampMixin, db.Model):
    __tablename__ = "peer_groups"
    __table_args__ = (UniqueConstraint("cohort_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    name: Mapped[str] = mapped_column(String(80))

    cohort: Mapped[Cohort] = relationship(back_populates="peer_groups")
    members: Mapped[list[PeerGroupMember]] = relationship(
        back_populates="peer_group", cascade="all, delete-orphan")


class PeerGroupMember(db.Model):
    """A candidate's place in a peer group: at most one group per cohort membership."""

    __tablename__ = "peer_group_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    peer_group_id: Mapped[int] = mapped_column(
        ForeignKey("peer_groups.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("cohort_memberships.id", ondelete="CASCADE"), unique=True)

    peer_group: Mapped[PeerGroup] = relationship(back_populates="members")
    membership: Mapped[CohortMembership] = relationship(back_populates="peer_group_link")


PEER_GROUP_MIN, PEER_GROUP_MAX = 2, 6


IMPORT_STATUSES = tuple(ImportStatus)


class MemberImport(db.Model):
    """An uploaded invitation CSV kept on the server between its preview and its confirmation.

    Only the parsed cells are kept (never the client's copy), so confirming imports exactly the
    rows that were previewed; rows are checked again against the cohort at confirmation.
    """

    __tablename__ = "member_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                               index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    # SHA-256 of the uploaded bytes, recorded in the audit log when the import is confirmed.
    file_digest: Mapped[str] = mapped_column(String(64))
    rows: Mapped[list] = mapped_column(JSON)  # [{"line": n, "email": ..., ...}, ...]
    status: Mapped[ImportStatus] = mapped_column(state_type(ImportStatus, "status"),
                                                 default=ImportStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    cohort: Mapped[Cohort] = relationship()

    @property
    def is_pending(self) -> bool:
        return self.status == ImportStatus.PENDING
