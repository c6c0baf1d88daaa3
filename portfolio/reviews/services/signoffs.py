"""Peer sign-off within the peer group, and revocation by a programme lead or admin."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...access import is_manager
from ...audit.services import record
from ...database import utcnow
from ...entries.permissions import can_view_entry, entry_relations, is_author
from ...errors import DomainError
from ...evidence.queries import hold_for_review
from ...extensions import db
from ...frameworks.models import Competency
from ...notifications.services import notify
from ...programmes.access import assert_cohort_writable
from ..links import entry_path
from ..models import Decision, Signoff, SignoffRevocation, SignoffRole
from .common import (
    assert_entry_writable,
    clean_text,
    latest_version,
    update_entry_review_status,
)
from .requests import AlreadyRecorded, signoff_recorded

MAX_NOTE = 500
MAX_REASON = 1_000
ALREADY_REVOKED = "This sign-off has already been revoked."


def peer_signoff(entry, actor, competency_id: int | None, note: str, *,
                 at: datetime | None = None) -> Signoff:
    """A peer signs off one competency the latest saved version claims."""
    if is_author(actor, entry):
        raise DomainError("You cannot sign off your own work.")
    if entry.is_private or not can_view_entry(actor, entry) \
            or "peer" not in entry_relations(actor, entry):
        raise DomainError(f"Only candidates in {entry.owner.display_name}’s peer group can "
                          "sign off their work.")
    assert_entry_writable(entry)
    version = latest_version(entry)
    if version is None:
        raise DomainError("This entry has not been saved yet.")
    competency = _claimed(version, competency_id)
    note = clean_text(note, MAX_NOTE + 1)
    if not note:
        raise DomainError("Add a short note saying what convinced you.", field="note")
    if len(note) > MAX_NOTE:
        raise DomainError(f"Keep the note to {MAX_NOTE} characters or fewer.", field="note")
    already = AlreadyRecorded(f"You have already signed off {competency.code} on version "
                              f"{version.number} of this entry.", field="competency")
    if _already_signed(version, competency, actor):
        raise already
    hold_for_review(version.evidence_ids)
    signoff = Signoff(
        role=SignoffRole.PEER, decision=Decision.SIGNED_OFF, candidate_id=entry.owner_id,
        reviewer_id=actor.id,
        competency_id=competency.id, competency_code=competency.code, entry_id=entry.id,
        entry_version_id=version.id, version_number=version.number,
        content_hash=version.content_hash, feedback=note, created_at=at or utcnow())
    db.session.add(signoff)
    try:
        db.session.flush()
    except IntegrityError as error:  # the same sign-off, sent at the same moment, won
        raise already from error
    record("signoff.peer", actor=actor, target=signoff, cohort_id=entry.cohort_id,
           candidate_id=entry.owner_id, competency=competency.code, entry_id=entry.id,
           version=version.number, content_hash=version.content_hash)
    signoff_recorded.send(signoff, actor=actor, cohort_id=entry.cohort_id)
    notify(entry.owner, "peer_signoff",
           f"{actor.display_name} signed off {competency.code} {competency.title} on your entry "
           f"“{entry.display_title}”.", entry_path(entry.id, anchor="signoffs"), entry=entry)
    return signoff


def _claimed(version, competency_id) -> Competency:
    try:
        wanted = int(competency_id)
    except (TypeError, ValueError):
        wanted = None
    if wanted is None or wanted not in version.competency_ids:
        raise DomainError("Choose a competency this entry claims.", field="competency")
    competency = db.session.get(Competency, wanted)
    if competency is None:
        raise DomainError("Choose a competency this entry claims.", field="competency")
    return competency


def _already_signed(version, competency, actor) -> bool:
    return db.session.scalar(select(Signoff.id).where(
        Signoff.entry_version_id == version.id, Signoff.competency_id == competency.id,
        Signoff.reviewer_id == actor.id, Signoff.role == SignoffRole.PEER)) is not None


def revoke_signoff(signoff: Signoff, actor, reason: str) -> SignoffRevocation:
    """Withdraw a sign-off's effect by adding a revocation; the sign-off itself never changes."""
    if not is_manager(actor):
        raise DomainError("Only a programme lead or admin can revoke a sign-off.")
    if signoff.decision != Decision.SIGNED_OFF:
        raise DomainError("Only a “Signed off” decision can be revoked.")
    if signoff.revocation is not None:
        raise AlreadyRecorded(ALREADY_REVOKED)
    if signoff.entry.cohort is not None:
        assert_cohort_writable(signoff.entry.cohort)
    reason = clean_text(reason, MAX_REASON + 1)
    if not reason:
        raise DomainError("Give the reason for revoking this sign-off.", field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(f"Keep the reason to {MAX_REASON:,} characters or fewer.",
                          field="reason")
    revocation = SignoffRevocation(signoff_id=signoff.id, revoked_by_id=actor.id, reason=reason)
    db.session.add(revocation)
    try:
        db.session.flush()
    except IntegrityError as error:  # one revocation per sign-off: another click won
        raise AlreadyRecorded(ALREADY_REVOKED) from error
    if signoff.role == SignoffRole.COACH_DEVELOPER:  # a competency to revisit again
        update_entry_review_status(signoff.entry, actor)
    # The reason stays on the revocation row; the log holds only facts (no free text).
    record("signoff.revoked", actor=actor, target=signoff, cohort_id=signoff.entry.cohort_id,
           candidate_id=signoff.candidate_id, competency=signoff.competency_code,
           version=signoff.version_number, role=signoff.role, revocation_id=revocation.id)
    return revocation
