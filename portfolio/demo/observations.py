"""Demo observations: the two default templates for the demo framework, Sam's observation of
Jordan's block-start session (shared with the peer group, with Jordan's reflection started
from it) and of Megan at a county championships.

Runs after the showcases seeder. Idempotent and flush-only: it looks for an observation of
each candidate by Sam and skips those that exist. Everything goes through the services.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select

from ..auth.models import User
from ..extensions import db
from ..frameworks.models import Competency
from ..observations import services
from ..observations.models import Observation, ObservationTemplate, TemplateStatus
from ..observations.templates import ensure_default_templates
from ..programmes.access import current_memberships
from ..programmes.models import MemberRole

DEVELOPER, JORDAN, MEGAN = "developer@example.org", "coach1@example.org", "coach2@example.org"

SESSIONS = {
    JORDAN: dict(
        template="Session observation", observed_on=date(2026, 10, 14),
        venue="Lee Valley Athletics Centre, back straight", session_kind="training",
        age_band="u17", para_athletes=False, athletes="six U17 sprinters, two in their first "
        "season", codes=("TC1", "TC2", "RC1"), ratings=(2, 2, 3, 1, 2, 2, 1, 3, 2),
        strengths="The block-start progression was well chosen: from **falling starts** to "
                  "blocks in three steps, each with one cue. The athletes could say back what "
                  "they were working on, and you used the video on the tablet sparingly.",
        next_steps="Give the two first-season athletes a simpler task when the group moves "
                   "to full blocks, and close the session by asking the group what they will "
                   "remember for Saturday.", share=True, reflect=True),
    MEGAN: dict(
        template="Competition-day observation", observed_on=date(2026, 11, 7),
        venue="County indoor championships, Sheffield", session_kind="competition",
        age_band="u20", para_athletes=True, athletes="three U20 jumpers, one ambulant para "
        "athlete", codes=("MD2", "RC3"), ratings=(2, 1, 3, 2, 3, 2, 1, 2),
        strengths="Calm, brief words between rounds; you let the athletes lead the debrief.",
        next_steps="Plan the warm-up backwards from the call-room time so the first jump "
                   "is not rushed.", share=False, reflect=False),
}


def seed(users: dict[str, User]) -> bool:
    developer = users.get(DEVELOPER)
    if developer is None:
        return False
    ensure_default_templates()  # the demo framework is published by now
    created = False
    for email, session in SESSIONS.items():
        candidate = users.get(email)
        if candidate is not None:
            created = _observe(developer, candidate, session) or created
    db.session.flush()
    return created


def _observe(developer: User, candidate: User, session: dict) -> bool:
    memberships = current_memberships(candidate.id, MemberRole.CANDIDATE)
    if not memberships or db.session.scalar(select(exists().where(
            Observation.candidate_id == candidate.id, Observation.observer_id == developer.id))):
        return False
    cohort = memberships[0].cohort
    template = db.session.scalar(select(ObservationTemplate).where(
        ObservationTemplate.framework_id == cohort.framework_id,
        ObservationTemplate.name == session["template"],
        ObservationTemplate.status == TemplateStatus.PUBLISHED)
        .order_by(ObservationTemplate.version.desc()))
    if template is None:
        return False
    codes = list(db.session.scalars(select(Competency.id).where(
        Competency.framework_id == cohort.framework_id, Competency.code.in_(session["codes"]))))
    ratings = {criterion["key"]: rating for criterion, rating
               in zip(template.criteria, session["ratings"], strict=False)}
    data = services.ObservationData(
        observed_on=session["observed_on"], venue=session["venue"],
        session_kind=session["session_kind"], age_band=session["age_band"],
        para_athletes=session["para_athletes"], athletes=session["athletes"], ratings=ratings,
        strengths=session["strengths"], next_steps=session["next_steps"], competency_ids=codes)
    observation = services.record_observation(developer, cohort, candidate.id, template, data)
    if session["share"]:
        services.share_with_peers(candidate, observation, True)
    if session["reflect"]:
        services.reflect_on(candidate, observation)
    return True
