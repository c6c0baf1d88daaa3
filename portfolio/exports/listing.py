"""Read-side queries for the reports index and the personal export page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..access import is_manager
from ..extensions import db
from ..programmes.access import ACTIVE, developer_cohort_ids_query
from ..programmes.models import Cohort, CohortMembership, MemberRole, ProgrammeYear
from .models import Job
from .services import KIND_LABELS


@dataclass
class CohortLine:
    cohort: Cohort
    candidates: int


def reportable_cohorts(user) -> list[CohortLine]:
    """Cohorts the user may report on, newest programme year first (two statements)."""
    statement = (select(Cohort).join(ProgrammeYear, ProgrammeYear.id == Cohort.year_id)
                 .options(joinedload(Cohort.year), joinedload(Cohort.pathway))
                 .order_by(ProgrammeYear.starts_on.desc(), Cohort.name))
    if not is_manager(user):
        statement = statement.where(Cohort.id.in_(developer_cohort_ids_query(user.id)))
    cohorts = list(db.session.scalars(statement))
    counts = dict(db.session.execute(
        select(CohortMembership.cohort_id, func.count())
        .where(CohortMembership.cohort_id.in_([c.id for c in cohorts]),
               CohortMembership.role == MemberRole.CANDIDATE, ACTIVE)
        .group_by(CohortMembership.cohort_id)).all()) if cohorts else {}
    return [CohortLine(cohort, counts.get(cohort.id, 0)) for cohort in cohorts]


def own_candidate_memberships(user) -> list[CohortMembership]:
    return list(db.session.scalars(
        select(CohortMembership).where(CohortMembership.user_id == user.id,
                                       CohortMembership.role == MemberRole.CANDIDATE)
        .options(joinedload(CohortMembership.cohort).joinedload(Cohort.year))
        .order_by(CohortMembership.id.desc())))


def job_titles(jobs: list[Job]) -> dict[int, str]:
    """A plain title for each job, loading the cohorts they name in one statement."""
    ids = {job.params.get("cohort_id") for job in jobs if job.kind == "cohort_archive"}
    cohorts = {c.id: c for c in db.session.scalars(
        select(Cohort).where(Cohort.id.in_(ids)).options(joinedload(Cohort.year)))} if ids else {}
    titles = {}
    for job in jobs:
        label = KIND_LABELS.get(job.kind, "Export")
        if job.kind == "cohort_archive":
            cohort = cohorts.get(job.params.get("cohort_id"))
            label = f"{label}: {cohort.label}" if cohort else f"{label} (cohort removed)"
        titles[job.id] = label
    return titles


def recent_jobs(user, limit: int = 10) -> list[Job]:
    return list(db.session.scalars(select(Job).where(Job.requested_by_id == user.id)
                                   .order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)))
