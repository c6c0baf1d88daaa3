"""Observation templates and records for tests."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portfolio.extensions import db
from portfolio.observations import services
from portfolio.observations.models import ObservationTemplate
from portfolio.observations.templates import ensure_default_templates

STRENGTHS = "Clear, short cues on the block clearance; athletes repeated them back."


def default_template(framework, name="Session observation") -> ObservationTemplate:
    ensure_default_templates()
    return db.session.scalar(select(ObservationTemplate).where(
        ObservationTemplate.framework_id == framework.id, ObservationTemplate.name == name))


def observation_data(template, **changes) -> services.ObservationData:
    first = template.criteria[0]["key"]
    values = dict(observed_on=date(2026, 10, 14), venue="Lee Valley, back straight",
                  session_kind="training", age_band="u17", para_athletes=True,
                  athletes="six sprinters", ratings={first: 2}, strengths=STRENGTHS,
                  next_steps="Give athletes more ownership of the warm-up.",
                  competency_ids=[])
    values.update(changes)
    return services.ObservationData(**values)


def make_observation(s, *, observer=None, template=None, shared=False, **changes):
    """An observation of the author in cohort A by their coach developer."""
    template = template or default_template(s.framework)
    observation = services.record_observation(observer or s.developer, s.cohort, s.author.id,
                                              template, observation_data(template, **changes))
    if shared:
        services.share_with_peers(s.author, observation, True)
    db.session.flush()
    return observation


def form_data(template, **changes) -> dict:
    first = template.criteria[0]["key"]
    data = {"template": str(template.id), "observed_on": "2026-10-14",
            "venue": "Lee Valley", "session_kind": "training", "age_band": "u17",
            f"rating_{first}": "3", "strengths": STRENGTHS,
            "next_steps": "Let athletes lead the warm-up."}
    data.update(changes)
    return data
