"""Versioned competency frameworks: areas holding competencies with a sign-off rule."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask import g, has_request_context
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, bindparam, select
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from ..database import TimestampMixin, UTCDateTime, built_once, state_type
from ..extensions import db


class FrameworkStatus(StrEnum):
    DRAFT = "draft"  # the only status in which a framework may be edited
    PUBLISHED = "published"
    RETIRED = "retired"


FRAMEWORK_STATUSES = tuple(FrameworkStatus)


class Framework(TimestampMixin, db.Model):
    __tablename__ = "frameworks"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[FrameworkStatus] = mapped_column(state_type(FrameworkStatus, "status"),
                                                    default=FrameworkStatus.DRAFT)
    description: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("frameworks.id"), index=True)

    areas: Mapped[list[CompetencyArea]] = relationship(
        back_populates="framework", order_by="CompetencyArea.position",
        cascade="all, delete-orphan")
    competencies: Mapped[list[Competency]] = relationship(
        back_populates="framework", order_by="(Competency.area_id, Competency.position)",
        viewonly=True)

    @property
    def label(self) -> str:
        return f"{self.name} (version {self.version})"

    @property
    def is_editable(self) -> bool:
        return self.status == FrameworkStatus.DRAFT


class CompetencyArea(db.Model):
    __tablename__ = "competency_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"),
                                              index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")

    framework: Mapped[Framework] = relationship(back_populates="areas")
    competencies: Mapped[list[Competency]] = relationship(
        back_populates="area", order_by="Competency.position", cascade="all, delete-orphan")


class Competency(db.Model):
    __tablename__ = "competencies"
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"),
                                              index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("competency_areas.id", ondelete="CASCADE"),
                                         index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The code identifies "the same competency" across framework versions (rollover relies on it).
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    evidence_guidance: Mapped[str] = mapped_column(Text, default="")
    developer_signoffs_required: Mapped[int] = mapped_column(Integer, default=1)
    peer_signoffs_required: Mapped[int] = mapped_column(Integer, default=0)

    framework: Mapped[Framework] = relationship(back_populates="competencies", viewonly=True)
    area: Mapped[CompetencyArea] = relationship(back_populates="competencies")

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def signoffs_required(self) -> int:
        return self.developer_signoffs_required + self.peer_signoffs_required


def in_framework_order(statement, competency=Competency):
    """Order a query over competencies as their framework lists them: by area, then position.

    Codes are not an order (EI1 would come before VP1); every list of competencies uses this.
    """
    area = aliased(CompetencyArea)
    return (statement.join(area, area.id == competency.area_id)
            .order_by(area.position, area.id, competency.position, competency.id))


def competencies_in_order(ids) -> list[Competency]:
    """These competencies in framework order; a page asking twice for the same ones (the entry
    page's labels and its review forms) sends one statement."""
    wanted = frozenset(int(item) for item in ids or ())
    if not wanted:
        return []
    memo = g.setdefault("competencies_in_order", {}) if has_request_context() else {}
    if wanted not in memo:
        memo[wanted] = list(db.session.scalars(_competencies_in_order_statement(),
                                               {"ids": sorted(wanted)}))
    return memo[wanted]


@built_once
def _competencies_in_order_statement():
    return in_framework_order(select(Competency).where(
        Competency.id.in_(bindparam("ids", expanding=True))))

