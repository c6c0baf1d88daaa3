"""Observations as their own kind of evidence in the coverage view and the progress matrix.

An observation covers the competencies its observer linked. Counts are read as the viewer may
see them (observations.queries.visible_observations_filter: the candidate, the observer, the
cohort's coach developers, the peer group once shared), so a coach developer of an earlier or
later cohort of the same candidate counts none of this cohort's observations. One statement
however many candidates and competencies are asked about.
"""

from __future__ import annotations

from sqlalchemy import Select, distinct, func, select

from ..extensions import db
from ..frameworks.models import Competency
from ..observations.models import Observation, observation_competencies
from ..observations.queries import visible_observations_filter

MARKER = "◆"


def observed_counts(viewer, candidates: Select | list[int]) -> dict[tuple[int, str], int]:
    """(candidate, competency code) -> observations of it the viewer may read."""
    if viewer is None or not viewer.is_authenticated:
        return {}
    if isinstance(candidates, list) and not candidates:
        return {}
    rows = db.session.execute(
        select(Observation.candidate_id, Competency.code, func.count(distinct(Observation.id)))
        .join(observation_competencies,
              observation_competencies.c.observation_id == Observation.id)
        .join(Competency, Competency.id == observation_competencies.c.competency_id)
        .where(Observation.candidate_id.in_(candidates), visible_observations_filter(viewer))
        .group_by(Observation.candidate_id, Competency.code))
    return {(candidate, code): count for candidate, code, count in rows}


def observed_label(count: int) -> str:
    """The text alternative of the marker."""
    return f"observed {count} time{'s' if count != 1 else ''}" if count else ""
