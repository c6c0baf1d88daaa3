"""Read-side queries for framework pages."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..programmes.models import Cohort, ProgrammeYear
from .models import CompetencyArea, Framework


def with_content():
    """Loader options bringing a framework's areas and competencies in two statements."""
    return selectinload(Framework.areas).selectinload(CompetencyArea.competencies)


def framework_index() -> list[tuple[str, list[Framework]]]:
    """Frameworks grouped by name, newest version first."""
    rows = db.session.scalars(select(Framework).order_by(func.lower(Framework.name),
                                                         Framework.version.desc()))
    grouped: dict[str, list[Framework]] = defaultdict(list)
    for framework in rows:
        grouped[framework.name].append(framework)
    return list(grouped.items())


def cohort_counts() -> dict[int, int]:
    return dict(db.session.execute(select(Cohort.framework_id, func.count())
                                   .group_by(Cohort.framework_id)).all())


def cohorts_using(framework: Framework):
    return list(db.session.scalars(
        select(Cohort).join(ProgrammeYear, ProgrammeYear.id == Cohort.year_id)
        .where(Cohort.framework_id == framework.id)
        .order_by(ProgrammeYear.starts_on.desc(), Cohort.name)
        .options(selectinload(Cohort.year))))


def load_with_content(framework_id: int) -> Framework | None:
    return db.session.scalar(select(Framework).where(Framework.id == framework_id)
                             .options(with_content()))


def other_versions(framework: Framework) -> list[Framework]:
    return list(db.session.scalars(select(Framework).where(
        Framework.id != framework.id).order_by(Framework.name, Framework.version.desc())))


def previous_version(framework: Framework) -> Framework | None:
    if framework.based_on_id:
        return db.session.get(Framework, framework.based_on_id)
    return db.session.scalar(select(Framework).where(
        Framework.name == framework.name, Framework.version < framework.version)
        .order_by(Framework.version.desc()).limit(1))
