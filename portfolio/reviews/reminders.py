"""Overdue review reminders: nudge the reviewer once, then tell the programme leads once.

Run daily by `flask send-reminders` (cron-friendly: running it twice changes nothing, because
each notification has a dedupe key).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..database import utcnow
from ..extensions import db
from ..notifications.services import notify_each
from ..timeutil import format_date
from .dashboard import candidate_still_in_cohort
from .links import request_path
from .models import OPEN_STATUSES, ReviewRequest
from .services.requests import reviewers_for


@dataclass
class ReminderReport:
    nudged: int = 0
    escalated: int = 0


def overdue_requests(today: date) -> list[ReviewRequest]:
    return list(db.session.scalars(
        select(ReviewRequest)
        .options(joinedload(ReviewRequest.entry), joinedload(ReviewRequest.candidate),
                 joinedload(ReviewRequest.cohort))
        .where(ReviewRequest.status.in_(OPEN_STATUSES), ReviewRequest.due_on < today,
               candidate_still_in_cohort())
        .order_by(ReviewRequest.due_on, ReviewRequest.id)))


def programme_leads() -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.is_programme_lead.is_(True), User.active.is_(True)).order_by(User.id)))


def remind_overdue_reviews(today: date) -> ReminderReport:
    """Nudge reviewers of overdue requests and escalate long-overdue ones (flush only)."""
    report = ReminderReport()
    escalate_after = timedelta(days=int(current_app.config["REVIEW_ESCALATION_DAYS"]))
    leads = None
    for review_request in overdue_requests(today):
        if review_request.cohort.is_read_only:
            continue
        report.nudged += _nudge(review_request)
        if today > review_request.due_on + escalate_after:
            leads = programme_leads() if leads is None else leads
            report.escalated += _escalate(review_request, leads)
    return report


def _describe(review_request: ReviewRequest) -> str:
    return (f"the review of {review_request.candidate.display_name}’s entry "
            f"“{review_request.entry.display_title}” ({review_request.cohort.name})")


def _nudge(review_request: ReviewRequest) -> int:
    sent = notify_each(
        reviewers_for(review_request), "review_overdue",
        f"Reminder: {_describe(review_request)} was due on "
        f"{format_date(review_request.due_on)}.",
        request_path(review_request.id), entry=review_request.entry,
        dedupe_key=f"review-overdue:{review_request.id}")
    if sent and review_request.reminded_at is None:
        _stamp(review_request, reminded_at=utcnow())
    return sent


def _escalate(review_request: ReviewRequest, leads: list[User]) -> int:
    sent = notify_each(
        leads, "review_escalated",
        f"{_describe(review_request)[0].upper()}{_describe(review_request)[1:]} is overdue: it "
        f"was due on {format_date(review_request.due_on)} and the reviewer has been reminded.",
        request_path(review_request.id), entry=review_request.entry,
        dedupe_key=f"review-escalated:{review_request.id}")
    if sent and review_request.escalated_at is None:
        _stamp(review_request, escalated_at=utcnow())
    return sent


def _stamp(review_request: ReviewRequest, **values) -> None:
    # A plain UPDATE, not the ORM's versioned one: a reminder must not make a reviewer's open
    # decision form look stale.
    db.session.execute(update(ReviewRequest).where(ReviewRequest.id == review_request.id)
                       .values(**values).execution_options(synchronize_session=False))
