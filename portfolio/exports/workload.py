"""Coach developer workload in a cohort: candidates, open requests and review turnaround."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..programmes.access import ACTIVE
from ..programmes.models import CohortMembership, MemberRole, MembershipStatus
from ..reviews.models import OPEN_STATUSES, RequestStatus, ReviewRequest

CLOSED_STATUSES = (RequestStatus.COMPLETED, RequestStatus.RETURNED)


@dataclass
class DeveloperLoad:
    name: str
    user_id: int | None
    candidates: int = 0
    open_requests: int = 0
    overdue: int = 0
    turnarounds: list[float] = field(default_factory=list)  # days, one per closed request

    @property
    def reviewed(self) -> int:
        return len(self.turnarounds)

    @property
    def median_days(self) -> float | None:
        return round(statistics.median(self.turnarounds), 1) if self.turnarounds else None


def developer_workload(cohort, candidate_memberships, today: date) -> list[DeveloperLoad]:
    """One row per coach developer of the cohort, plus one for requests nobody has taken."""
    developers = db.session.scalars(
        select(CohortMembership).where(CohortMembership.cohort_id == cohort.id,
                                       CohortMembership.role == MemberRole.COACH_DEVELOPER,
                                       ACTIVE)
        .options(joinedload(CohortMembership.user)))
    loads = {m.user_id: DeveloperLoad(m.user.display_name, m.user_id) for m in developers}
    unassigned = DeveloperLoad("Not yet taken by a coach developer", None)
    for membership in candidate_memberships:
        if membership.coach_developer_id in loads \
                and membership.status != MembershipStatus.WITHDRAWN:
            loads[membership.coach_developer_id].candidates += 1
    requests = db.session.execute(
        select(ReviewRequest.status, ReviewRequest.assigned_to_id, ReviewRequest.started_by_id,
               ReviewRequest.closed_by_id, ReviewRequest.created_at, ReviewRequest.closed_at,
               ReviewRequest.due_on)
        .where(ReviewRequest.cohort_id == cohort.id))
    for status, assigned, started, closed_by, created_at, closed_at, due_on in requests:
        if status in OPEN_STATUSES:
            load = loads.get(assigned or started, unassigned)
            load.open_requests += 1
            load.overdue += int(due_on is not None and due_on < today)
        elif status in CLOSED_STATUSES and closed_at and closed_by in loads:
            days = (closed_at - created_at).total_seconds() / 86400
            loads[closed_by].turnarounds.append(max(days, 0.0))
    rows = sorted(loads.values(), key=lambda load: load.name.casefold())
    if unassigned.open_requests:
        rows.append(unassigned)
    return rows
