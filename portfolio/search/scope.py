"""What the search form offers each person: their cohorts, candidates and competencies.

Choices only narrow a search; what a search returns is decided by visibility.py alone, so an
option someone should not have (a cohort id typed into the address) finds nothing extra.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..access import is_manager
from ..auth.models import User
from ..extensions import db
from ..frameworks.models import Competency, CompetencyArea
from ..programmes.access import ACTIVE
from ..programmes.models import Cohort, CohortMembership, MemberRole, ProgrammeYear, YearStatus

CANDIDATE_CHOICES_LIMIT = 300


@dataclass
class Choices:
    cohorts: list[Cohort] = field(default_factory=list)
    candidates: list[tuple[int, str]] = field(default_factory=list)
    candidates_need_cohort: bool = False
    competencies: list[tuple[str, str]] = field(default_factory=list)


def _cohort_ids(user):
    if is_manager(user):
        return (select(Cohort.id).join(ProgrammeYear, ProgrammeYear.id == Cohort.year_id)
                .where(ProgrammeYear.status != YearStatus.ARCHIVED))
    return select(CohortMembership.cohort_id).where(CohortMembership.user_id == user.id, ACTIVE)


def choices_for(user, cohort_id: int | None) -> Choices:
    cohort_ids = _cohort_ids(user)
    cohorts = list(db.session.scalars(
        select(Cohort).options(joinedload(Cohort.year)).where(Cohort.id.in_(cohort_ids))
        .order_by(Cohort.name)))
    choices = Choices(cohorts=cohorts)
    chosen = [c.id for c in cohorts if c.id == cohort_id] or [c.id for c in cohorts]
    if is_manager(user):
        developed = chosen
    else:
        developed = list(db.session.scalars(
            select(CohortMembership.cohort_id).where(
                CohortMembership.user_id == user.id, CohortMembership.role == MemberRole.COACH_DEVELOPER,
                ACTIVE, CohortMembership.cohort_id.in_(chosen))))
    candidates = [(user.id, f"{user.display_name} (me)")]
    if developed:
        rows = db.session.execute(
            select(User.id, User.display_name).join(
                CohortMembership, CohortMembership.user_id == User.id)
            .where(CohortMembership.cohort_id.in_(developed),
                   CohortMembership.role == MemberRole.CANDIDATE, ACTIVE, User.id != user.id)
            .group_by(User.id, User.display_name).order_by(User.display_name)
            .limit(CANDIDATE_CHOICES_LIMIT + 1)).all()
        if len(rows) > CANDIDATE_CHOICES_LIMIT:
            choices.candidates_need_cohort = True
        else:
            candidates += [(who, name) for who, name in rows]
    choices.candidates = candidates
    frameworks = {c.framework_id for c in cohorts if c.id in chosen}
    if frameworks:
        choices.competencies = [tuple(row) for row in db.session.execute(
            select(Competency.code, func.min(Competency.title))
            .join(CompetencyArea, CompetencyArea.id == Competency.area_id)
            .where(Competency.framework_id.in_(frameworks))
            .group_by(Competency.code)
            .order_by(func.min(CompetencyArea.position), func.min(Competency.position),
                      Competency.code))]
    return choices
