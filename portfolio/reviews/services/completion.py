"""Programme completion: a programme lead's final, audited sign-off for a candidate, and its
revocation (the completion stays on record; a later completion takes the next number)."""

from __future__ import annotations

from blinker import Namespace
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...access import is_manager
from ...audit.services import record
from ...database import begin_writing, lock_for_decision
from ...errors import DomainError
from ...extensions import db
from ...programmes.access import assert_cohort_writable
from ...programmes.membership import MembershipChanges, current_developers, update_membership
from ...programmes.models import CohortMembership, MembershipStatus
from ..models import ProgrammeCompletion, ProgrammeCompletionRevocation
from ..progress import candidate_progress
from .common import clean_text
from .requests import AlreadyRecorded

ALREADY_COMPLETED = "Completion has already been recorded for this candidate."
ALREADY_REVOKED = "This completion has already been revoked."
MAX_REASON = 1_000

_signals = Namespace()
# Sent inside the transaction that records or revokes, so a receiver's rows (a credential)
# commit or roll back with the completion. Receivers get the completion and `actor`;
# revocation receivers also get `revocation`.
programme_completed = _signals.signal("portfolio.reviews.programme-completed")
completion_revoked = _signals.signal("portfolio.reviews.completion-revoked")


def record_completion(membership, actor, note: str = "") -> ProgrammeCompletion:
    """Record that the candidate has met every competency and completed the programme."""
    if not is_manager(actor):
        raise DomainError("Only a programme lead or admin can record programme completion.")
    _lock_current(membership)
    if not membership.is_candidate:
        raise DomainError("Only candidates complete the programme.")
    if membership.status == MembershipStatus.WITHDRAWN:
        raise DomainError("This candidate has withdrawn from the cohort.")
    assert_cohort_writable(membership.cohort)
    if current_completion_id(membership.id) is not None:
        raise AlreadyRecorded(ALREADY_COMPLETED)
    progress = candidate_progress(membership.user_id, membership.cohort.framework)
    if not progress.is_complete:
        raise DomainError(f"Not every competency is signed off yet ({progress.met} of "
                          f"{progress.total} met).")
    completion = ProgrammeCompletion(membership_id=membership.id, recorded_by_id=actor.id,
                                     number=_next_number(membership.id),
                                     note=clean_text(note, 2_000))
    db.session.add(completion)
    try:
        db.session.flush()
    except IntegrityError as error:  # (membership, number) is unique: the same click won
        raise AlreadyRecorded(ALREADY_COMPLETED) from error
    _set_membership_status(membership, actor, MembershipStatus.COMPLETED)
    db.session.flush()
    record("programme.completed", actor=actor, target=membership,
           cohort_id=membership.cohort_id, candidate_id=membership.user_id,
           competencies=progress.total)
    programme_completed.send(completion, actor=actor)
    return completion


def revoke_completion(completion: ProgrammeCompletion, actor,
                      reason: str) -> ProgrammeCompletionRevocation:
    """Withdraw a completion with a reason; the candidate's membership becomes active again."""
    if not is_manager(actor):
        raise DomainError("Only a programme lead or admin can revoke a programme completion.")
    if completion.revocation is not None:
        raise AlreadyRecorded(ALREADY_REVOKED)
    membership = completion.membership
    _lock_current(membership)
    assert_cohort_writable(membership.cohort)
    reason = clean_text(reason, MAX_REASON + 1)
    if not reason:
        raise DomainError("Give the reason for revoking this completion.", field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(f"Keep the reason to {MAX_REASON:,} characters or fewer.",
                          field="reason")
    revocation = ProgrammeCompletionRevocation(completion_id=completion.id,
                                               revoked_by_id=actor.id, reason=reason)
    db.session.add(revocation)
    try:
        db.session.flush()
    except IntegrityError as error:  # one revocation per completion: another click won
        raise AlreadyRecorded(ALREADY_REVOKED) from error
    if membership.status == MembershipStatus.COMPLETED:
        _set_membership_status(membership, actor, MembershipStatus.ACTIVE)
    # The reason stays on the revocation row; the log holds only facts (no free text).
    record("programme.completion_revoked", actor=actor, target=membership,
           cohort_id=membership.cohort_id, candidate_id=membership.user_id,
           completion=completion.number, revocation_id=revocation.id)
    completion_revoked.send(completion, actor=actor, revocation=revocation)
    return revocation


def _lock_current(membership) -> None:
    """Read the membership again, locked until the commit (PostgreSQL): a completion recorded
    and one revoked at the same moment then take turns, and each sees the status the other
    left. Without it, a request that loaded the membership before another changed its status
    would decide on the old status (found by two leads recording and revoking at once: the
    candidate was left "active" with a completion standing). On SQLite, where FOR UPDATE means
    nothing, the transaction takes the database's write lock before this read instead."""
    begin_writing()
    # The cohort first, as every membership change does (programmes' hold_cohort), so the two
    # never wait for each other in opposite orders.
    lock_for_decision(membership.cohort)
    db.session.execute(
        select(CohortMembership).where(CohortMembership.id == membership.id)
        .with_for_update(of=CohortMembership)
        .execution_options(populate_existing=True)).scalar_one()


def current_completion_id(membership_id: int) -> int | None:
    """The membership's completion that stands (recorded and not revoked), if any."""
    return db.session.scalar(select(ProgrammeCompletion.id).where(
        ProgrammeCompletion.membership_id == membership_id,
        ~ProgrammeCompletion.revocation.has()))


def _next_number(membership_id: int) -> int:
    return (db.session.scalar(select(func.count(ProgrammeCompletion.id)).where(
        ProgrammeCompletion.membership_id == membership_id)) or 0) + 1


def _set_membership_status(membership, actor, status: MembershipStatus) -> None:
    """The programmes feature owns memberships: change the status through its service."""
    developers = {item.user_id for item in current_developers(membership.cohort)}
    update_membership(actor, membership, MembershipChanges(
        role=membership.role, status=status,
        # Keep the assignment (a coach developer who has since left cannot be kept).
        developer_id=membership.coach_developer_id
        if membership.coach_developer_id in developers else None,
        specialism_ids=[item.id for item in membership.specialisms]))
