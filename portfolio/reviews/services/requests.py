"""Review requests: submit a saved version, withdraw, start, and decide per competency.

A request records the exact entry version; decisions become immutable Signoff rows bound to
that version and its content hash. Requests that arrive together are settled by the database:
a partial unique index allows one open request per entry, and every status change is an atomic
conditional UPDATE (`_move`), so only one of two reviewers finishing a request wins; the other
gets a ConflictError and their text back, and a repeat of one's own click gets AlreadyRecorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from blinker import Namespace
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ...audit.services import record
from ...auth.models import User
from ...database import utcnow
from ...entries.models import EntryStatus
from ...entries.permissions import is_author
from ...errors import ConflictError, DomainError
from ...evidence.queries import hold_for_review
from ...extensions import db
from ...frameworks.models import Competency, in_framework_order
from ...notifications.services import notify, notify_each
from ...observations.models import Observation
from ...programmes.access import ACTIVE, assert_candidate_writable, assert_cohort_writable
from ...programmes.models import CohortMembership, MemberRole
from ...timeutil import format_date, local
from ...wording import counts_in_words
from ..links import request_path
from ..models import (
    DECISIONS,
    OPEN_STATUSES,
    RequestStatus,
    ReviewRequest,
    ReviewRequestCompetency,
    Signoff,
    SignoffRole,
)
from ..models import Decision as SignoffDecision
from ..permissions import can_review_request
from ..progress_table import mark_progress_stale
from .common import (
    author_membership,
    clean_text,
    latest_version,
    local_today,
    update_entry_review_status,
)

MAX_FEEDBACK = 10_000
ALREADY_SENT = "This entry has already been sent for review."
# Sent for each sign-off after its flush, inside the transaction that records it (a coach
# developer's decision or a peer's): receivers get the sign-off, `actor` and `cohort_id`.
signoff_recorded = Namespace().signal("portfolio.reviews.signoff-recorded")


class AlreadyRecorded(DomainError):
    """The same action already took effect (a double click, a resend, another tab)."""


@dataclass(frozen=True)
class Decision:
    competency_id: int
    decision: SignoffDecision | None  # None: undecided
    feedback: str = ""


def cohort_developers(cohort_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).join(CohortMembership, CohortMembership.user_id == User.id)
        .where(CohortMembership.cohort_id == cohort_id,
               CohortMembership.role == MemberRole.COACH_DEVELOPER, ACTIVE, User.active.is_(True))
        .order_by(User.display_name)))


def reviewers_for(review_request: ReviewRequest) -> list[User]:
    """The assigned coach developer, or every coach developer of the cohort."""
    developers = cohort_developers(review_request.cohort_id)
    assigned = [user for user in developers if user.id == review_request.assigned_to_id]
    return assigned or developers


# --- the candidate's side -----------------------------------------------------------------

def submit_for_review(entry, actor, competency_ids: list[int], message: str = "", *,
                      at: datetime | None = None, observation_id: int | None = None
                      ) -> ReviewRequest:
    """Ask for a review of the entry's latest saved version for the chosen competencies.

    `at` back-dates the request (the demo seeder builds a believable history with it).
    """
    if not is_author(actor, entry):
        raise DomainError("Only the author can submit an entry for review.")
    if entry.is_private:
        raise DomainError("Entries shared with nobody (“Only me”) cannot be reviewed. Change "
                          "who can see the entry first.")
    version = latest_version(entry)
    if entry.status != EntryStatus.PUBLISHED or version is None:
        raise DomainError("Save the entry before submitting it for review.")
    membership = author_membership(entry)
    if membership is None:
        raise DomainError("You are not a candidate in a cohort, so there is nobody to review "
                          "this entry.")
    assert_candidate_writable(membership)  # archived year or withdrawn: read-only
    chosen = _chosen_competencies(version, competency_ids)
    pending = _open_request(entry)
    if pending is not None:
        if pending.entry_version_id == version.id and \
                {c.competency_id for c in pending.competencies} == {c.id for c in chosen}:
            raise AlreadyRecorded(ALREADY_SENT)  # the same form sent twice
        raise DomainError("This entry is already waiting for review. Withdraw that request "
                          "first if you want to change it.")
    _refuse_already_reviewed(version, chosen)
    observation = _attachable_observation(observation_id, actor, membership)
    review_request = _create_request(entry, version, membership, chosen, message, at,
                                     observation)
    update_entry_review_status(entry, actor)
    record("review.requested", actor=actor, target=review_request, cohort_id=membership.cohort_id,
           entry_id=entry.id, version=version.number,
           competencies=" ".join(c.code for c in chosen))
    notify_each(reviewers_for(review_request), "review_requested",
                f"{actor.display_name} asked for a review of “{entry.display_title}” "
                f"({_plural(len(chosen), 'competency', 'competencies')}), due "
                f"{format_date(review_request.due_on)}.",
                request_path(review_request.id), entry=entry)
    return review_request


def withdraw_request(review_request: ReviewRequest, actor) -> None:
    """The candidate takes a request back before a coach developer has started it."""
    if review_request.candidate_id != actor.id:
        raise DomainError("Only the candidate who asked for this review can withdraw it.")
    if not _move(review_request, (RequestStatus.OPEN,), RequestStatus.WITHDRAWN,
                 closed_at=utcnow(), closed_by_id=actor.id):
        if review_request.status == RequestStatus.WITHDRAWN:
            raise AlreadyRecorded("You have already withdrawn this review request.")
        if review_request.status == RequestStatus.IN_REVIEW:
            raise DomainError("Your coach developer has already started this review, so it can "
                              "no longer be withdrawn.")
        raise DomainError("This review has finished, so there is nothing to withdraw.")
    update_entry_review_status(review_request.entry, actor)
    record("review.withdrawn", actor=actor, target=review_request,
           cohort_id=review_request.cohort_id, entry_id=review_request.entry_id)


# --- the coach developer's side -----------------------------------------------------------

def start_review(review_request: ReviewRequest, actor, *, at: datetime | None = None) -> None:
    _check_reviewer(review_request, actor)
    if not _move(review_request, (RequestStatus.OPEN,), RequestStatus.IN_REVIEW,
                 started_at=at or utcnow(), started_by_id=actor.id):
        if review_request.status == RequestStatus.IN_REVIEW:
            return  # started already: by this click's twin or by a colleague
        raise DomainError("This request is no longer waiting for review.")


def complete_review(review_request: ReviewRequest, actor, decisions: list[Decision],
                    overall_feedback: str, expected_lock_version: int | None,
                    return_for_revision: bool = False, *, at: datetime | None = None
                    ) -> list[Signoff]:
    """Record a decision per competency (append-only) and close the request."""
    _check_reviewer(review_request, actor)
    _check_still_open(review_request, actor, expected_lock_version)
    overall = clean_text(overall_feedback, MAX_FEEDBACK)
    decided = _validated(review_request, decisions, overall, return_for_revision)
    now = at or utcnow()
    signoffs = [_signoff(review_request, actor, competency, decision, now)
                for competency, decision in decided]
    started = {} if review_request.started_at else {"started_at": now, "started_by_id": actor.id}
    closed = RequestStatus.RETURNED if return_for_revision else RequestStatus.COMPLETED
    if not _move(review_request, OPEN_STATUSES, closed,
                 overall_feedback=overall, closed_at=now, closed_by_id=actor.id, **started):
        _check_still_open(review_request, actor, None)  # says who finished it first
        raise ConflictError("This request changed while you were reviewing it.")
    db.session.add_all(signoffs)
    _flush_or_conflict("Another coach developer finished this review first.")
    update_entry_review_status(review_request.entry, actor)
    _audit_decisions(review_request, actor, signoffs)
    _tell_candidate(review_request, actor, signoffs)
    return signoffs


def _check_reviewer(review_request: ReviewRequest, actor) -> None:
    if review_request.candidate_id == actor.id:
        raise DomainError("You cannot sign off your own work.")
    if not can_review_request(actor, review_request):
        raise DomainError(f"Only coach developers of {review_request.cohort.name} can review "
                          "this request.")
    assert_cohort_writable(review_request.cohort)
    assert_candidate_writable(author_membership(review_request.entry))


def _check_still_open(review_request: ReviewRequest, actor, expected: int | None) -> None:
    if not review_request.is_open:
        if review_request.closed_by_id == actor.id and review_request.status in (
                RequestStatus.COMPLETED, RequestStatus.RETURNED):
            raise AlreadyRecorded("Your decisions on this request were already recorded.")
        raise ConflictError(_closed_message(review_request))
    if expected is not None and expected != review_request.lock_version:
        raise ConflictError("This request changed while you were reviewing it.")


def _closed_message(review_request: ReviewRequest) -> str:
    who = review_request.closed_by.display_name if review_request.closed_by else "Someone"
    what = {RequestStatus.WITHDRAWN: "withdrew this request",
            RequestStatus.RETURNED: "returned this entry for revision",
            RequestStatus.COMPLETED: "finished this review"}.get(review_request.status,
                                                                 "closed this request")
    return f"{who} {what} first."


def _validated(review_request, decisions, overall, return_for_revision):
    """Pair each requested competency with its decision, refusing incomplete reviews."""
    by_id = {decision.competency_id: decision for decision in decisions}
    decided = []
    for link in _requested(review_request):
        decision = by_id.get(link.competency_id)
        choice = decision.decision if decision else None
        feedback = clean_text(decision.feedback if decision else "", MAX_FEEDBACK)
        if choice is None:
            if not return_for_revision:
                raise DomainError(f"Choose “Signed off” or “Not yet” for {link.competency.code}.",
                                  field=f"decision_{link.competency_id}")
            continue
        if choice not in DECISIONS:
            raise DomainError("Choose a decision from the list.",
                              field=f"decision_{link.competency_id}")
        if choice == SignoffDecision.NOT_YET and not feedback:
            raise DomainError(f"Say what is missing for {link.competency.code}, so the "
                              "candidate knows what to do next.",
                              field=f"feedback_{link.competency_id}")
        decided.append((link.competency,
                        Decision(link.competency_id, SignoffDecision(choice), feedback)))
    if return_for_revision and not overall:
        raise DomainError("Tell the candidate what to change before they resubmit.",
                          field="overall_feedback")
    return decided


def _requested(review_request: ReviewRequest) -> list[ReviewRequestCompetency]:
    return sorted(review_request.competencies,
                  key=lambda link: (link.competency.area.position, link.competency.position))


def _signoff(review_request, actor, competency: Competency, decision: Decision, now) -> Signoff:
    version = review_request.entry_version
    return Signoff(
        role=SignoffRole.COACH_DEVELOPER, decision=decision.decision,
        candidate_id=review_request.candidate_id, reviewer_id=actor.id,
        competency_id=competency.id, competency_code=competency.code,
        entry_id=review_request.entry_id, entry_version_id=version.id,
        version_number=version.number, content_hash=version.content_hash,
        review_request_id=review_request.id, feedback=decision.feedback, created_at=now)


def _move(review_request: ReviewRequest, allowed: tuple[RequestStatus, ...],
          status: RequestStatus,
          **changes) -> bool:
    """Change the request's status in one conditional UPDATE; False if another request won.

    The WHERE clause repeats what the caller checked (the status and the lock_version it
    read), so of two requests that both passed the checks exactly one updates the row.
    Afterwards the object holds what the database now says, whoever won.
    """
    result = db.session.execute(
        update(ReviewRequest)
        .where(ReviewRequest.id == review_request.id,
               ReviewRequest.lock_version == review_request.lock_version,
               ReviewRequest.status.in_(allowed))
        .values(status=status, lock_version=ReviewRequest.lock_version + 1, **changes)
        .execution_options(synchronize_session=False))
    mark_progress_stale([review_request.candidate_id])  # a bulk UPDATE: the ORM cannot see it
    db.session.refresh(review_request)
    return result.rowcount == 1


def _flush_or_conflict(message: str) -> None:
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as error:
        raise ConflictError(message) from error


def _audit_decisions(review_request, actor, signoffs: list[Signoff]) -> None:
    for signoff in signoffs:
        record("signoff.recorded", actor=actor, target=signoff,
               cohort_id=review_request.cohort_id, candidate_id=signoff.candidate_id,
               competency=signoff.competency_code, decision=signoff.decision,
               entry_id=signoff.entry_id, version=signoff.version_number,
               content_hash=signoff.content_hash, request_id=review_request.id)
        signoff_recorded.send(signoff, actor=actor, cohort_id=review_request.cohort_id)
    action = "review.returned" if review_request.status == RequestStatus.RETURNED \
        else "review.completed"
    record(action, actor=actor, target=review_request, cohort_id=review_request.cohort_id,
           candidate_id=review_request.candidate_id, entry_id=review_request.entry_id,
           version=review_request.entry_version.number,
           signed_off=sum(s.decision == SignoffDecision.SIGNED_OFF for s in signoffs),
           not_yet=sum(s.decision == SignoffDecision.NOT_YET for s in signoffs))


def _tell_candidate(review_request, actor, signoffs: list[Signoff]) -> None:
    title = review_request.entry.display_title
    signed = sum(s.decision == SignoffDecision.SIGNED_OFF for s in signoffs)
    not_yet = len(signoffs) - signed
    decided = counts_in_words((signed, "signed off"), (not_yet, "not yet"),
                              nothing="no decisions")
    if review_request.status == RequestStatus.RETURNED:
        kind, message = "review_returned", (
            f"{actor.display_name} returned “{title}” for revision ({decided}). "
            "See what to change.")
    else:
        kind, message = "review_done", f"{actor.display_name} reviewed “{title}”: {decided}."
    notify(review_request.candidate, kind, message, request_path(review_request.id),
           entry=review_request.entry)


# --- submission helpers -------------------------------------------------------------------

def _chosen_competencies(version, competency_ids: list[int]) -> list[Competency]:
    wanted = {int(item) for item in competency_ids or []}
    if not wanted:
        raise DomainError("Choose at least one competency this entry shows.",
                          field="competencies")
    claimed = set(version.competency_ids)
    if not wanted <= claimed:
        raise DomainError("You can only ask for review of competencies the saved entry claims.",
                          field="competencies")
    return list(db.session.scalars(in_framework_order(
        select(Competency).where(Competency.id.in_(wanted)))))


def _open_request(entry) -> ReviewRequest | None:
    return db.session.scalar(select(ReviewRequest).where(
        ReviewRequest.entry_id == entry.id, ReviewRequest.status.in_(OPEN_STATUSES)))


def _refuse_already_reviewed(version, chosen: list[Competency]) -> None:
    reviewed = set(db.session.scalars(select(Signoff.competency_code).where(
        Signoff.entry_version_id == version.id, Signoff.role == SignoffRole.COACH_DEVELOPER,
        Signoff.competency_id.in_([c.id for c in chosen]))))
    if reviewed:
        codes = ", ".join(sorted(reviewed))
        raise DomainError(f"Version {version.number} has already been reviewed for {codes}. "
                          "Revise and save the entry, then submit the new version.",
                          field="competencies")


def _create_request(entry, version, membership, chosen, message, at, observation=None
                    ) -> ReviewRequest:
    cohort = membership.cohort
    developer_ids = {user.id for user in cohort_developers(cohort.id)}
    assigned = membership.coach_developer_id if membership.coach_developer_id in developer_ids \
        else None
    review_request = ReviewRequest(
        entry_id=entry.id, entry_version_id=version.id, candidate_id=entry.owner_id,
        cohort_id=cohort.id, assigned_to_id=assigned, status=RequestStatus.OPEN,
        due_on=(local(at).date() if at else local_today())
        + timedelta(days=cohort.turnaround_days),
        message=clean_text(message, 2_000), created_at=at or utcnow(),
        observation_id=observation.id if observation else None)
    review_request.competencies = [ReviewRequestCompetency(competency_id=c.id) for c in chosen]
    hold_for_review(version.evidence_ids)
    db.session.add(review_request)
    try:
        db.session.flush()
    except IntegrityError as error:  # the one-open-request-per-entry index: another send won
        raise AlreadyRecorded(ALREADY_SENT) from error
    return review_request


def _attachable_observation(observation_id: int | None, actor, membership):
    """The observation to attach: one of the candidate's own, made in this cohort."""
    if observation_id is None:
        return None
    observation = db.session.get(Observation, observation_id)
    if observation is None or observation.candidate_id != actor.id \
            or observation.cohort_id != membership.cohort_id:
        raise DomainError("Choose one of your observations from this cohort.",
                          field="observation")
    return observation


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
