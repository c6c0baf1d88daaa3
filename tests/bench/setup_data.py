"""Prepare the benchmark database: demo + scale data, plus one 600-candidate cohort on a
25-competency framework for the XLSX target. Prints the ids the benchmark needs as JSON."""

from __future__ import annotations

import json
import sys

from sqlalchemy import func, select

from portfolio import create_app
from portfolio.demo.scale import (
    ScaleOptions,
    make_grid_framework,
    scale_framework_id,
    seed_scale,
)
from portfolio.entries.models import Entry
from portfolio.extensions import db
from portfolio.programmes.models import Cohort, CohortMembership


def framework_of_25() -> int:
    return make_grid_framework("Benchmark framework", "B")


def candidates(cohort_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(CohortMembership).where(
        CohortMembership.cohort_id == cohort_id, CohortMembership.role == "candidate"))


def main(scale: str) -> None:
    app = create_app()
    with app.app_context():
        if scale == "full":
            options = ScaleOptions()
        else:
            options = ScaleOptions(years=1, cohorts=2, candidates=20, entries=10)
        seed_scale(options, scale_framework_id())
        big = ScaleOptions(years=1, cohorts=1, candidates=600, entries=2, seed=600,
                           files=False)
        seed_scale(big, framework_of_25())
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # Measure the steady state: autovacuum analyses freshly loaded tables within a
            # minute or so, and until then the planner works from empty statistics (a coach
            # developer's dashboard spent 409 ms in the database right after seeding, 66 ms
            # once analysed).
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "ANALYZE")
        big_cohort = db.session.scalar(
            select(Cohort.id).join(CohortMembership).group_by(Cohort.id)
            .having(func.count(CohortMembership.id) > 600))
        cohort_id = db.session.scalar(select(Cohort.id).where(Cohort.name == "Talent cohort 1")
                                      .order_by(Cohort.id))
        candidate = db.session.scalar(
            select(CohortMembership).where(CohortMembership.cohort_id == cohort_id,
                                           CohortMembership.role == "candidate")
            .order_by(CohortMembership.id))
        developer = db.session.scalar(
            select(CohortMembership).where(CohortMembership.cohort_id == cohort_id,
                                           CohortMembership.role == "coach_developer")
            .order_by(CohortMembership.id))
        entry_id = db.session.scalar(select(Entry.id).where(
            Entry.owner_id == candidate.user_id).order_by(Entry.id))
        print(json.dumps({
            "cohort_candidates": candidates(cohort_id),
            "big_cohort_candidates": candidates(big_cohort),
            "cohort_id": cohort_id, "big_cohort_id": big_cohort, "entry_id": entry_id,
            "candidate": candidate.user.email, "developer": developer.user.email,
            "entries": db.session.scalar(select(func.count()).select_from(Entry)),
        }))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "full")
