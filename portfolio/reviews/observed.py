"""Observations as their own kind of evidence in the coverage view and the progress matrix.

An observation covers the competencies its observer linked. Counts are read as the viewer may
see them (observations.queries.visible_observations_filter: the candidate, the observer, the
cohort's coach developers, the peer group once shared), so a coach developer of an earlier or
later cohort of the same candidate counts none of this cohort's observations. One statement
however many candidates and competencies are asked about.
"""

from __future__ import annotations

from sqlalchemy import bindparam, distinct, func, select

from ..database import built_once
from ..extensions import db
from ..frameworks.models import Competency
from ..observations.models import Observation, observation_competencies
from ..observations.queries import visible_observations_rule
from ..programmes.models import CohortMembership, MemberRole

MARKER = "◆"


def observed_counts(viewer, candidate_ids: list[int] | None = None, *,
                    cohort_id: int | None = None) -> dict[tuple[int, str], int]:
    """(candidate, competency code) -> observations of it the viewer may read, for the listed
    candidates or every candidate of `cohort_id`."""
    if viewer is None or not viewer.is_authenticated:
        return {}
    if cohort_id is None and not candidate_ids:
        return {}
    rows = db.session.execute(_observed_statement(cohort_id is not None), {
        "viewer_id": viewer.id, "cohort_id": cohort_id, "candidate_ids": candidate_ids or []})
    return {(candidate, code): count for candidate, code, count in rows}


@built_once
def _observed_statement(by_cohort: bool):
    """Built once per shape: the visibility rule alone is a few dozen clauses to build."""
    if by_cohort:
        candidates = select(CohortMembership.user_id).where(
            CohortMembership.cohort_id == bindparam("cohort_id"),
            CohortMembership.role == MemberRole.CANDIDATE)
    else:
        candidates = bindparam("candidate_ids", expanding=True)
    return (select(Observation.candidate_id, Competency.code,
                   func.count(distinct(Observation.id)))
            .join(observation_competencies,
                  observation_competencies.c.observation_id == Observation.id)
            .join(Competency, Competency.id == observation_competencies.c.competency_id)
            .where(Observation.candidate_id.in_(candidates),
                   visible_observations_rule(bindparam("viewer_id")))
            .group_by(Observation.candidate_id, Competency.code))


def observed_label(count: int) -> str:
    """The text alternative of the marker."""
    return f"observed {count} time{'s' if count != 1 else ''}" if count else ""
