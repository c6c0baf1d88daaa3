"""Observations in a person's data download and in their erasure (called by portfolio.privacy,
which lists the tables in its registry)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, or_, select

from ..extensions import db
from .models import (
    Observation,
    ObservationReflection,
    ObservationTemplate,
    observation_competencies,
)


def personal_observations(user_id: int, rows: Callable) -> dict:
    """Observations of their sessions, those they recorded, the competencies each links, the
    reflections they started from them, and the templates they wrote."""
    theirs = select(Observation.id).where(or_(Observation.candidate_id == user_id,
                                              Observation.observer_id == user_id))
    links = db.session.execute(select(observation_competencies).where(
        observation_competencies.c.observation_id.in_(theirs))).all()
    competencies: dict[int, list[int]] = {}
    for observation_id, competency_id in links:
        competencies.setdefault(observation_id, []).append(competency_id)
    return {
        "about_me": [row | {"competency_ids": sorted(competencies.get(row["id"], []))}
                     for row in rows(select(Observation)
                                     .where(Observation.candidate_id == user_id))],
        "recorded_by_me": [row | {"competency_ids": sorted(competencies.get(row["id"], []))}
                           for row in rows(select(Observation)
                                           .where(Observation.observer_id == user_id))],
        "reflections": rows(select(ObservationReflection).join(Observation)
                            .where(Observation.candidate_id == user_id)),
        "templates_written": rows(select(ObservationTemplate)
                                  .where(ObservationTemplate.created_by_id == user_id)),
    }


def erase_observations(user_id: int) -> int:
    """Delete the observations of the person's sessions (their competencies and reflection
    links go with them). Those they recorded of others stay with that candidate, naming only
    the pseudonymised observer."""
    return db.session.execute(delete(Observation).where(Observation.candidate_id == user_id)
                              .execution_options(synchronize_session=False)).rowcount
