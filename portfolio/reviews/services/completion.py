"""Programme completion: a programme lead's final, audited sign-off for a candidate."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...access import is_manager
from ...audit.services import record
from ...errors import DomainError
from ...extensions import db
from ...programmes.access import assert_cohort_writable
from ...programmes.membership import MembershipChanges, current_developers, update_membership
from ...programmes.models import MembershipStatus
from ..models import ProgrammeCompletion
from ..progress import candidate_progress
from .common import clean_text
from .requests import AlreadyRecorded

ALREADY_COMPLETED = "Completion has already been recorded for this candidate."


def record_completion(membership, actor, note: str = "") -> ProgrammeCompletion:
    """Record that the candidate has met every competency and completed the programme."""
    if not is_manager(actor):
        raise DomainError("Only a programme lead or admin can record programme completion.")
    if not membership.is_candidate:
        raise DomainError("Only candidates complete the programme.")
    if membership.status == MembershipStatus.WITHDRAWN:
        raise DomainError("This candidate has withdrawn from the cohort.")
    assert_cohort_writable(membership.cohort)
    if db.session.scalar(select(ProgrammeCompletion.id).where(
            ProgrammeCompletion.membership_id == membership.id)) is not None:
        raise AlreadyRecorded(ALREADY_COMPLETED)
    progress = candidate_progress(membership.user_id, membership.cohort.framework)
    if not progress.is_complete:
        raise DomainError(f"Not every competency is signed off yet ({progress.met} of "
                          f"{progress.total} met).")
    completion = ProgrammeCompletion(membership_id=membership.id, recorded_by_id=actor.id,
                                     note=clean_text(note, 2_000))
    db.session.add(completion)
    try:
        db.session.flush()
    except IntegrityError as error:  # one completion per membership: the same click won
        raise AlreadyRecorded(ALREADY_COMPLETED) from error
    _mark_membership_completed(membership, actor)
    db.session.flush()
    record("programme.completed", actor=actor, target=membership,
           cohort_id=membership.cohort_id, candidate_id=membership.user_id,
           competencies=progress.total)
    return completion


def _mark_membership_completed(membership, actor) -> None:
    """The programmes feature owns memberships: change the status through its service."""
    developers = {item.user_id for item in current_developers(membership.cohort)}
    update_membership(actor, membership, MembershipChanges(
        role=membership.role, status=MembershipStatus.COMPLETED,
        # Keep the assignment (a coach developer who has since left cannot be kept).
        developer_id=membership.coach_developer_id
        if membership.coach_developer_id in developers else None,
        specialism_ids=[item.id for item in membership.specialisms]))
