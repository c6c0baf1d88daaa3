"""Consent for evidence and observations that show athletes under 18, and the one rule that
keeps such work inside the cohort.

A record exists once the candidate marks an item as showing under-18s ("flagged"); consent is
recorded on it later (who gave it, their relationship, the date and the scope). Withdrawal is
kept on the row (withdrawn_at, deletion_due_at, deleted_at), so the lead's report keeps the
history after the item itself has been deleted.

The predicates live here, beside the table, because the evidence permissions (the floor every
channel reads) ask them and may import only models (see [tool.importlinter] in pyproject.toml).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Date,
    ForeignKey,
    Integer,
    String,
    and_,
    exists,
    not_,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..database import UTCDateTime, state_type, utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User
    from ..evidence.models import Evidence
    from ..observations.models import Observation


class ConsentScope(StrEnum):
    ASSESSMENT = "assessment"  # the cohort's coach developers only
    WIDER = "wider"  # also the candidate's peer group, where the candidate shares it


class GiverRelationship(StrEnum):
    PARENT = "parent"
    CARER = "carer"
    GUARDIAN = "guardian"


SCOPE_LABELS = {ConsentScope.ASSESSMENT: "Programme assessment only",
                ConsentScope.WIDER: "Wider sharing (also the peer group)"}
RELATIONSHIP_LABELS = {GiverRelationship.PARENT: "Parent",
                       GiverRelationship.CARER: "Carer",
                       GiverRelationship.GUARDIAN: "Legal guardian"}


class ConsentRecord(db.Model):
    """Consent for one evidence item or one observation that shows athletes under 18."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                          index=True)
    # One record per item; SET NULL when the item is deleted, so the history stays.
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence.id", ondelete="SET NULL"), unique=True)
    observation_id: Mapped[int | None] = mapped_column(
        ForeignKey("observations.id", ondelete="SET NULL"), unique=True)
    subject_title: Mapped[str] = mapped_column(String(200), default="")
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    given_by_name: Mapped[str | None] = mapped_column(String(120))
    giver_relationship: Mapped[GiverRelationship | None] = mapped_column(
        state_type(GiverRelationship, "giver_relationship"))
    given_on: Mapped[date | None] = mapped_column(Date)
    scope: Mapped[ConsentScope | None] = mapped_column(state_type(ConsentScope, "consent_scope"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    deletion_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    # Read with every evidence row in the same statement (a LEFT JOIN), so the consent badge and
    # the file check cost no statement of their own on any page.
    evidence: Mapped[Evidence | None] = relationship(
        backref=backref("consent", uselist=False, lazy="joined", viewonly=True))
    observation: Mapped[Observation | None] = relationship()

    @property
    def is_given(self) -> bool:
        return self.given_on is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def status(self) -> str:
        if self.deleted_at is not None:
            return "deleted"
        if self.is_withdrawn:
            return "withdrawn"
        return "given" if self.is_given else "needed"


# --- the rule ------------------------------------------------------------------------------

def _record_of(evidence_id):
    return ConsentRecord.evidence_id == evidence_id


def _any(*conditions):
    # Explicit correlation: the id may be a column of a query two levels up.
    return exists(select(ConsentRecord.id).where(*conditions).correlate_except(ConsentRecord))


def restricted_clause(evidence_id):
    """SQL: the evidence (an id or a column) shows under-18s, so it never leaves the cohort."""
    return _any(_record_of(evidence_id))


def withdrawn_clause(evidence_id):
    """SQL: consent for the evidence was withdrawn (it is hidden from everyone)."""
    return _any(_record_of(evidence_id), ConsentRecord.withdrawn_at.is_not(None))


def consent_allows(evidence_id, *, developer, peer):
    """SQL for a reader who is not the owner: unflagged evidence as before; flagged evidence
    only with consent given and not withdrawn, for the coach developers of the cohort it is
    read in (`developer`), and for the peer group there (`peer`) when the scope is wider."""
    usable = and_(_record_of(evidence_id), ConsentRecord.given_on.is_not(None),
                  ConsentRecord.withdrawn_at.is_(None))
    wider = and_(usable, ConsentRecord.scope == ConsentScope.WIDER)
    return or_(not_(restricted_clause(evidence_id)),
               and_(developer, _any(usable)),
               and_(peer, _any(wider)))


def observation_consent_allows(observation_id, *, peer):
    """SQL for a reader of an observation who is not its candidate: withdrawn consent hides it
    from everyone; a reader through the peer group (`peer`) needs wider consent once flagged."""
    record = ConsentRecord.observation_id == observation_id
    wider = _any(record, ConsentRecord.given_on.is_not(None), ConsentRecord.withdrawn_at.is_(None),
                 ConsentRecord.scope == ConsentScope.WIDER)
    return and_(not_(_any(record, ConsentRecord.withdrawn_at.is_not(None))),
                or_(not_(peer), not_(_any(record)), wider))


def observation_record_for(observation: Observation) -> ConsentRecord | None:
    return db.session.scalar(select(ConsentRecord).where(
        ConsentRecord.observation_id == observation.id))


def peer_may_read(consent: ConsentRecord | None) -> bool:
    """An unflagged item, or one with wider consent not withdrawn."""
    return consent is None or (consent.is_given and not consent.is_withdrawn
                               and consent.scope == ConsentScope.WIDER)


def record_for(evidence: Evidence) -> ConsentRecord | None:
    """The evidence's consent record, loaded with the evidence itself."""
    return evidence.consent


def consent_restricts(evidence: Evidence) -> bool:
    """The evidence shows under-18s: no secret link, external page or outside export has it."""
    return record_for(evidence) is not None


def consent_withdrawn(evidence: Evidence) -> bool:
    record = record_for(evidence)
    return record is not None and record.is_withdrawn
