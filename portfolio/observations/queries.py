"""Read-side queries for the observation pages: a bounded number of statements per page."""

from __future__ import annotations

from sqlalchemy import and_, false, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from ..consent.models import observation_consent_allows
from ..database import paginate_counted
from ..extensions import db
from ..frameworks.models import Competency, Framework, FrameworkStatus, in_framework_order
from ..programmes.access import (
    developed_memberships_query,
    peer_group_memberships_query,
    related_in_cohort,
)
from ..programmes.models import Cohort, CohortMembership, MemberRole, MembershipStatus
from .models import Observation, ObservationReflection, ObservationTemplate


def observation_loads() -> tuple:
    return (joinedload(Observation.candidate), joinedload(Observation.observer),
            joinedload(Observation.template), joinedload(Observation.cohort),
            selectinload(Observation.competencies), selectinload(Observation.reflections))


def visible_observations_filter(user):
    """SQL: observations `user` may read (permissions.can_view_observation, as a filter)."""
    return visible_observations_rule(user.id)


def visible_observations_rule(user_id):
    """`visible_observations_filter` for a reader's id, which may be a bind parameter (for a
    statement built once)."""
    pair = (Observation.cohort_id, Observation.candidate_id)
    # Under-18s (portfolio/consent): withdrawn hides it; peers need wider consent.
    consent = observation_consent_allows(Observation.id, peer=false())
    peer_consent = observation_consent_allows(Observation.id, peer=true())
    return or_(
        Observation.candidate_id == user_id,
        and_(related_in_cohort(*pair, developed_memberships_query(user_id)), consent),
        and_(related_in_cohort(*pair, peer_group_memberships_query(user_id)), or_(
            and_(Observation.observer_id == user_id, consent),
            and_(Observation.shared_with_peers, peer_consent))))


def observations_for(user, *, page: int, per_page: int = 25):
    statement = (select(Observation).where(visible_observations_filter(user))
                 .options(joinedload(Observation.candidate), joinedload(Observation.observer),
                          joinedload(Observation.template), joinedload(Observation.cohort))
                 .order_by(Observation.observed_on.desc(), Observation.id.desc()))
    return paginate_counted(statement, page=page, per_page=per_page)


def observable_memberships(user) -> list[CohortMembership]:
    """Candidates the person may observe: those of cohorts they develop, and their peer group
    (the template decides whether a peer may record), newest cohort first."""
    developed = developed_memberships_query(user.id)
    peers = peer_group_memberships_query(user.id)
    pair = (CohortMembership.cohort_id, CohortMembership.user_id)
    return list(db.session.scalars(
        select(CohortMembership)
        .where(CohortMembership.role == MemberRole.CANDIDATE,
               CohortMembership.status != MembershipStatus.WITHDRAWN,
               CohortMembership.user_id != user.id,
               or_(related_in_cohort(*pair, developed), related_in_cohort(*pair, peers)))
        .options(joinedload(CohortMembership.user), joinedload(CohortMembership.cohort)
                 .joinedload(Cohort.year))
        .order_by(CohortMembership.cohort_id.desc(), CohortMembership.id)
        .limit(500)))


def competency_choices(framework_id: int) -> list[tuple[int, str]]:
    statement = in_framework_order(select(Competency).where(
        Competency.framework_id == framework_id))
    return [(competency.id, competency.label) for competency in db.session.scalars(statement)]


def competency_labels(template: ObservationTemplate) -> dict[int, str]:
    return dict(db.session.execute(select(Competency.id, Competency.code).where(
        Competency.framework_id == template.framework_id)).all())


def templates_by_framework() -> list[tuple[Framework, list[ObservationTemplate]]]:
    templates = db.session.scalars(
        select(ObservationTemplate).options(joinedload(ObservationTemplate.framework))
        .order_by(ObservationTemplate.framework_id.desc(), ObservationTemplate.name,
                  ObservationTemplate.version.desc()))
    grouped: dict[int, tuple[Framework, list]] = {}
    for template in templates:
        grouped.setdefault(template.framework_id, (template.framework, []))[1].append(template)
    return list(grouped.values())


def frameworks_for_templates() -> list[Framework]:
    return list(db.session.scalars(select(Framework).where(
        Framework.status != FrameworkStatus.RETIRED)
        .order_by(Framework.name, Framework.version.desc())))


def observation_for_entry(entry_id: int) -> Observation | None:
    return db.session.scalar(
        select(Observation).join(ObservationReflection)
        .where(ObservationReflection.entry_id == entry_id)
        .options(joinedload(Observation.observer), joinedload(Observation.template)))
