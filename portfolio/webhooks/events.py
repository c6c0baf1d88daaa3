"""Receivers of the reviews and programmes signals: each queues the event's deliveries in the
transaction of the change, so a change that rolls back queues nothing.

Only ids go into the queue; names are read when the body is built (see delivery.py).
"""

from __future__ import annotations

from .models import EventType
from .services import queue_event


def on_programme_completed(completion, actor=None, **_) -> None:
    facts = _completion_facts(completion)
    queue_event(EventType.PROGRAMME_COMPLETED, facts, facts["candidate_id"])


def on_completion_revoked(completion, actor=None, revocation=None, **_) -> None:
    facts = _completion_facts(completion)
    facts["revocation_id"] = getattr(revocation, "id", None)
    queue_event(EventType.COMPLETION_REVOKED, facts, facts["candidate_id"])


def _completion_facts(completion) -> dict:
    membership = completion.membership
    return {"completion_id": completion.id, "completion_number": completion.number,
            "membership_id": membership.id, "candidate_id": membership.user_id,
            "cohort_id": membership.cohort_id}


def on_signoff_recorded(signoff, actor=None, cohort_id=None, **_) -> None:
    queue_event(EventType.SIGNOFF_RECORDED, {
        "signoff_id": signoff.id, "candidate_id": signoff.candidate_id,
        "reviewer_id": signoff.reviewer_id, "cohort_id": cohort_id,
        "competency_id": signoff.competency_id, "competency_code": signoff.competency_code,
        "decision": str(signoff.decision), "role": str(signoff.role),
        "entry_version": signoff.version_number}, signoff.candidate_id)


def on_membership_changed(membership, actor=None, previous_role=None, previous_status=None,
                          **_) -> None:
    if previous_role == membership.role and previous_status == membership.status:
        return  # saved without a change of role or status
    queue_event(EventType.MEMBERSHIP_CHANGED, {
        "membership_id": membership.id, "user_id": membership.user_id,
        "cohort_id": membership.cohort_id, "role": str(membership.role),
        "status": str(membership.status),
        "previous_role": str(previous_role) if previous_role else None,
        "previous_status": str(previous_status) if previous_status else None},
        membership.user_id)
