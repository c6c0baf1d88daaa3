"""Read-side queries for consent: the badge facts of a page's evidence and the lead's report."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..programmes.models import Cohort, CohortMembership, MemberRole, ProgrammeYear
from .models import ConsentRecord


def record_for_evidence(evidence_id: int) -> ConsentRecord | None:
    return db.session.scalar(select(ConsentRecord).where(ConsentRecord.evidence_id == evidence_id))


def restricted_ids(evidence_ids) -> set[int]:
    """Which of these evidence ids show under-18s (one statement)."""
    ids = [item for item in evidence_ids if item is not None]
    if not ids:
        return set()
    return set(db.session.scalars(select(ConsentRecord.evidence_id)
                                  .where(ConsentRecord.evidence_id.in_(ids))))


def cohorts_with_counts() -> list[tuple[ProgrammeYear, list[tuple[Cohort, int]]]]:
    """Every programme year (newest first) with its cohorts and how many records each has."""
    counts = dict(db.session.execute(
        select(CohortMembership.cohort_id, func.count(ConsentRecord.id))
        .join(ConsentRecord, ConsentRecord.owner_id == CohortMembership.user_id)
        .where(CohortMembership.role == MemberRole.CANDIDATE)
        .group_by(CohortMembership.cohort_id)).all())
    cohorts = db.session.scalars(select(Cohort).join(ProgrammeYear)
                                 .options(joinedload(Cohort.year))
                                 .order_by(ProgrammeYear.starts_on.desc(), Cohort.name)).all()
    years: dict[int, tuple[ProgrammeYear, list]] = {}
    for cohort in cohorts:
        years.setdefault(cohort.year_id, (cohort.year, []))[1].append(
            (cohort, counts.get(cohort.id, 0)))
    return list(years.values())


def report_rows(cohort: Cohort) -> list[ConsentRecord]:
    """The consent records of the cohort's candidates, by candidate then item."""
    candidates = select(CohortMembership.user_id).where(
        CohortMembership.cohort_id == cohort.id, CohortMembership.role == MemberRole.CANDIDATE)
    return list(db.session.scalars(
        select(ConsentRecord).where(ConsentRecord.owner_id.in_(candidates))
        .options(joinedload(ConsentRecord.owner))
        .order_by(ConsentRecord.owner_id, ConsentRecord.flagged_at, ConsentRecord.id)))
