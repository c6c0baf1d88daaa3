"""Observed practice: templates leads publish per framework version, and the records a coach
developer (or a peer, where the template allows) makes of a candidate's session.

A template holds sections of criteria, each criterion mapped to competencies of its framework
version, a rating scale and the prompts for strengths and next steps. A draft may be changed;
a published template never is (the service refuses, and the database refuses an UPDATE of its
content or a DELETE), so every record keeps meaning what its observer saw. A change is a new
version, drafted from the published one.

A record belongs to the cohort where the candidate was observed: who may read it is decided by
relations inside that cohort (the candidate, the observer, the cohort's coach developers, and
the candidate's peer group once the candidate shares it).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    DDL,
    JSON,
    Boolean,
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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, state_type, utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User
    from ..frameworks.models import Competency, Framework
    from ..programmes.models import Cohort


class TemplateStatus(StrEnum):
    DRAFT = "draft"  # the only status in which a template may be changed
    PUBLISHED = "published"


class SessionKind(StrEnum):
    TRAINING = "training"
    COMPETITION = "competition"
    TESTING = "testing"
    OTHER = "other"


SESSION_KINDS = {
    SessionKind.TRAINING: "Training session",
    SessionKind.COMPETITION: "Competition",
    SessionKind.TESTING: "Testing or trials",
    SessionKind.OTHER: "Other",
}


class AgeBand(StrEnum):
    U13 = "u13"
    U15 = "u15"
    U17 = "u17"
    U20 = "u20"
    SENIOR = "senior"
    MASTERS = "masters"
    MIXED = "mixed"


AGE_BANDS = {
    AgeBand.U13: "Under 13",
    AgeBand.U15: "Under 15",
    AgeBand.U17: "Under 17",
    AgeBand.U20: "Under 20",
    AgeBand.SENIOR: "Senior",
    AgeBand.MASTERS: "Masters",
    AgeBand.MIXED: "Mixed ages",
}
UNDER_18_BANDS = frozenset({AgeBand.U13, AgeBand.U15, AgeBand.U17})


class ObservationTemplate(db.Model):
    """A structured observation form for one framework version.

    `sections` is the form itself: [{"title": str, "criteria": [{"key": str, "text": str,
    "competency_ids": [int, ...]}]}]; keys are stable within the template, ratings refer to
    them. `scale` lists the rating labels from lowest to highest.
    """

    __tablename__ = "observation_templates"
    __table_args__ = (UniqueConstraint("framework_id", "name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    version: Mapped[int] = mapped_column(Integer, default=1)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[TemplateStatus] = mapped_column(state_type(TemplateStatus, "status"),
                                                   default=TemplateStatus.DRAFT)
    scale: Mapped[list] = mapped_column(JSON, default=list)
    sections: Mapped[list] = mapped_column(JSON, default=list)
    strengths_prompt: Mapped[str] = mapped_column(Text, default="")
    next_steps_prompt: Mapped[str] = mapped_column(Text, default="")
    peers_may_record: Mapped[bool] = mapped_column(Boolean, default=False)
    based_on_id: Mapped[int | None] = mapped_column(
        ForeignKey("observation_templates.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lock_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    framework: Mapped[Framework] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def label(self) -> str:
        return f"{self.name} (version {self.version})"

    @property
    def is_editable(self) -> bool:
        return self.status == TemplateStatus.DRAFT

    @property
    def criteria(self) -> list[dict]:
        return [criterion for section in self.sections or [] for criterion in section["criteria"]]


observation_competencies = Table(
    "observation_competencies",
    db.metadata,
    Column("observation_id", ForeignKey("observations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("competency_id", ForeignKey("competencies.id"), primary_key=True, index=True),
)


class Observation(db.Model):
    """One observed session of a candidate, recorded on a published template."""

    __tablename__ = "observations"
    __table_args__ = (
        Index("ix_observations_cohort_candidate", "cohort_id", "candidate_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    observer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("observation_templates.id"), index=True)
    observed_on: Mapped[date] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(String(160), default="")
    session_kind: Mapped[SessionKind] = mapped_column(state_type(SessionKind, "session_kind"),
                                                      default=SessionKind.TRAINING)
    age_band: Mapped[AgeBand] = mapped_column(state_type(AgeBand, "age_band"),
                                              default=AgeBand.SENIOR)
    para_athletes: Mapped[bool] = mapped_column(Boolean, default=False)
    athletes: Mapped[str] = mapped_column(String(400), default="")
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)  # criterion key -> scale index
    strengths: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    shared_with_peers: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    cohort: Mapped[Cohort] = relationship()
    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])
    observer: Mapped[User] = relationship(foreign_keys=[observer_id])
    template: Mapped[ObservationTemplate] = relationship()
    competencies: Mapped[list[Competency]] = relationship(
        secondary=observation_competencies, order_by="Competency.code")
    reflections: Mapped[list[ObservationReflection]] = relationship(
        back_populates="observation", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ObservationReflection.id")

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def session_label(self) -> str:
        return SESSION_KINDS[self.session_kind]

    @property
    def age_band_label(self) -> str:
        return AGE_BANDS[self.age_band]

    @property
    def involves_minors(self) -> bool:
        return self.age_band in UNDER_18_BANDS


class ObservationReflection(db.Model):
    """A reflective entry the candidate started from an observation ("observed → reflect")."""

    __tablename__ = "observation_reflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One reflection per observation, so a double click or a second tab cannot start two;
    # one observation per reflection: the entry answers that session.
    observation_id: Mapped[int] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"), unique=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"),
                                          unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    observation: Mapped[Observation] = relationship(back_populates="reflections")


# A published template's content never changes and the template is never deleted: records
# were made on it. (`lock_version`, `based_on_id` SET NULL and `created_by_id` SET NULL stay
# possible.)
FROZEN_TEMPLATE_COLUMNS = ("framework_id, name, version, description, status, scale, sections, "
                           "strengths_prompt, next_steps_prompt, peers_may_record, published_at")


def published_template_statements(dialect: str) -> list[str]:
    """SQL making the database refuse to change or delete a published template."""
    table, columns = "observation_templates", FROZEN_TEMPLATE_COLUMNS
    if dialect == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION {table}_published() RETURNS trigger AS $$
                BEGIN
                  IF OLD.status = 'published' THEN
                    RAISE EXCEPTION 'published observation templates are immutable'
                      USING ERRCODE = 'raise_exception';
                  END IF;
                  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                  RETURN NEW;
                END; $$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER {table}_published BEFORE UPDATE OF {columns} OR DELETE
                ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_published()""",
        ]
    return [
        f"""CREATE TRIGGER {table}_published_update BEFORE UPDATE OF {columns} ON {table}
            WHEN OLD.status = 'published'
            BEGIN SELECT RAISE(ABORT, 'published observation templates are immutable'); END""",
        f"""CREATE TRIGGER {table}_published_delete BEFORE DELETE ON {table}
            WHEN OLD.status = 'published'
            BEGIN SELECT RAISE(ABORT, 'published observation templates are immutable'); END""",
    ]


def drop_published_template_statements(dialect: str) -> list[str]:
    table = "observation_templates"
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_published ON {table}",
                f"DROP FUNCTION IF EXISTS {table}_published()"]
    return [f"DROP TRIGGER IF EXISTS {table}_published_update",
            f"DROP TRIGGER IF EXISTS {table}_published_delete"]


for _dialect in ("postgresql", "sqlite"):
    for _statement in published_template_statements(_dialect):
        event.listen(ObservationTemplate.__table__, "after_create",
                     DDL(_statement).execute_if(dialect=_dialect))
