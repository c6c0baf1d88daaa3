"""The rules of consent: flag an item as showing under-18s, record consent, withdraw it, and
delete what is due. Each takes the acting person, flushes and never commits.

Two tabs at once are settled by the database: the record is unique per item (the second flag
loses to the unique index) and recording or withdrawing is one UPDATE guarded by the state it
expects, so the second of two clicks changes nothing and is told so.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..database import utcnow
from ..errors import ConflictError, DomainError
from ..evidence.models import Evidence
from ..evidence.services import delete_for_withdrawn_consent
from ..extensions import db
from ..observations.models import Observation
from ..observations.services import delete_for_withdrawn_consent as delete_observation
from ..timeutil import local
from .models import ConsentRecord, ConsentScope, GiverRelationship

NAME_LIMIT = 120
EARLIEST = date(2000, 1, 1)


def flag_evidence(actor, evidence: Evidence) -> ConsentRecord:
    """Mark the evidence as showing athletes under 18: from now it is shared only with consent."""
    _require_owner(actor, evidence.owner_id)
    if evidence.deleted_at is not None:
        raise DomainError("This evidence has been deleted.")
    return _flag(actor, evidence, ConsentRecord.evidence_id, evidence_id=evidence.id,
                 title=evidence.title)


def flag_observation(actor, observation: Observation) -> ConsentRecord:
    """Mark an observation of the actor's session as involving athletes under 18."""
    _require_owner(actor, observation.candidate_id)
    return _flag(actor, observation, ConsentRecord.observation_id, observation_id=observation.id,
                 title=f"Observation, {observation.observed_on.isoformat()}")


def _flag(actor, subject, column, *, title: str, **key) -> ConsentRecord:
    existing = db.session.scalar(select(ConsentRecord).where(column == subject.id))
    if existing is not None:
        return existing
    row = ConsentRecord(owner_id=actor.id, subject_title=title[:200], flagged_at=utcnow(), **key)
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        # The other tab flagged it first: theirs is the record.
        return db.session.scalar(select(ConsentRecord).where(column == subject.id))
    record("consent.flagged", actor=actor, target=subject, consent_id=row.id)
    return row


def record_consent(actor, consent: ConsentRecord, *, given_by: str, relationship: str,
                   given_on: date | None, scope: str, today: date | None = None) -> ConsentRecord:
    """Record who gave consent, their relationship, when and for what; once per item."""
    _require_owner(actor, consent.owner_id)
    name = _checked_name(given_by)
    relation = _checked_choice(relationship, GiverRelationship, "relationship",
                               "Choose how the person is related to the athlete.")
    chosen_scope = _checked_choice(scope, ConsentScope, "scope", "Choose what the consent covers.")
    day = _checked_date(given_on, today or local(utcnow()).date())
    if consent.is_withdrawn:
        raise ConflictError("Consent for this item was withdrawn; it is waiting to be deleted.")
    changed = db.session.execute(
        update(ConsentRecord)
        .where(ConsentRecord.id == consent.id, ConsentRecord.given_on.is_(None),
               ConsentRecord.withdrawn_at.is_(None))
        .values(given_by_name=name, giver_relationship=relation, given_on=day,
                scope=chosen_scope, recorded_at=utcnow(), version=ConsentRecord.version + 1)
        .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(consent)
    if not changed:
        raise ConflictError("Consent for this item was already recorded (perhaps in another tab). "
                            "The record below is the one kept.")
    record("consent.recorded", actor=actor, target=consent, scope=chosen_scope.value,
           relationship=relation.value)
    return consent


def withdraw_consent(actor, consent: ConsentRecord, *, now: datetime | None = None) -> ConsentRecord:
    """Hide the item from everyone at once and queue its deletion after the grace period."""
    _require_owner(actor, consent.owner_id)
    moment = now or utcnow()
    due = moment + timedelta(days=grace_days())
    changed = db.session.execute(
        update(ConsentRecord)
        .where(ConsentRecord.id == consent.id, ConsentRecord.withdrawn_at.is_(None))
        .values(withdrawn_at=moment, withdrawn_by_id=actor.id, deletion_due_at=due,
                version=ConsentRecord.version + 1)
        .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(consent)
    if changed:
        record("consent.withdrawn", actor=actor, target=consent,
               deletion_due=due.date().isoformat())
    return consent


def purge_due(*, now: datetime | None = None) -> int:
    """Delete the evidence whose grace period after withdrawal is over; how many went."""
    moment = now or utcnow()
    due = list(db.session.scalars(
        select(ConsentRecord).where(ConsentRecord.withdrawn_at.is_not(None),
                                    ConsentRecord.deleted_at.is_(None),
                                    ConsentRecord.deletion_due_at <= moment)
        .order_by(ConsentRecord.id)))
    for consent in due:
        if consent.evidence is not None:
            delete_for_withdrawn_consent(consent.evidence, reason="consent withdrawn")
        if consent.observation is not None:
            delete_observation(consent.observation)
        consent.deleted_at = moment
        record("consent.purged", target=consent)
    db.session.flush()
    return len(due)


def grace_days() -> int:
    return int(current_app.config["CONSENT_DELETION_GRACE_DAYS"])


def _require_owner(actor, owner_id: int) -> None:
    if actor is None or not actor.is_authenticated or actor.id != owner_id:
        raise DomainError("Only the candidate whose evidence this is can record its consent.")


def _checked_name(value: str | None) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise DomainError("Enter the name of the parent or carer who gave consent.",
                          field="given_by")
    if len(name) > NAME_LIMIT:
        raise DomainError(f"The name must be {NAME_LIMIT} characters or fewer.", field="given_by")
    return name


def _checked_choice(value, states, field: str, message: str):
    try:
        return states(value)
    except ValueError:
        raise DomainError(message, field=field) from None


def _checked_date(value: date | None, today: date) -> date:
    if value is None:
        raise DomainError("Enter the date consent was given.", field="given_on")
    if value > today:
        raise DomainError("The date consent was given cannot be in the future.",
                          field="given_on")
    if value < EARLIEST:
        raise DomainError("Enter the date consent was given, for example 14 9 2026.",
                          field="given_on")
    return value
