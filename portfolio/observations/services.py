"""Observation records: recording, editing (optimistic locking), sharing, and the reflection
a candidate starts from one. Services take the actor, raise DomainError and only flush."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..audit.services import record
from ..database import utcnow
from ..entries import services as entry_services
from ..entries.models import Entry
from ..entries.working_copy import EntryDraft
from ..errors import ConflictError, DomainError, ReadOnlyError
from ..extensions import db
from ..frameworks.models import Competency
from ..programmes.models import Cohort
from ..timeutil import format_date, local
from .models import (
    AGE_BANDS,
    SESSION_KINDS,
    Observation,
    ObservationReflection,
    ObservationTemplate,
    TemplateStatus,
)
from .permissions import (
    can_edit_observation,
    can_record_with,
    can_reflect_on,
    can_share_observation,
    observer_relation,
)

MAX_TEXT = 10_000
MAX_VENUE = 160
MAX_ATHLETES = 400
CONFLICT_MESSAGE = ("This observation was changed somewhere else (another window or device) "
                    "after you opened it, so your changes were not saved over it.")


class AlreadyReflected(DomainError):
    """The candidate has a reflection on this observation already (another tab, a double click)."""


@dataclass
class ObservationData:
    observed_on: date | None
    venue: str = ""
    session_kind: str = "training"
    age_band: str = "senior"
    para_athletes: bool = False
    athletes: str = ""
    ratings: dict[str, int | None] = field(default_factory=dict)  # criterion key -> scale index
    strengths: str = ""
    next_steps: str = ""
    competency_ids: list[int] = field(default_factory=list)


def usable_templates(actor, cohort: Cohort, candidate_id: int) -> list[ObservationTemplate]:
    """The published templates of the cohort's framework version the actor may record on."""
    relation = observer_relation(actor, candidate_id, cohort.id)
    templates = db.session.scalars(select(ObservationTemplate).where(
        ObservationTemplate.framework_id == cohort.framework_id,
        ObservationTemplate.status == TemplateStatus.PUBLISHED)
        .order_by(ObservationTemplate.name, ObservationTemplate.version.desc()))
    return [template for template in templates if can_record_with(relation, template)]


def record_observation(actor, cohort: Cohort, candidate_id: int, template: ObservationTemplate,
                       data: ObservationData) -> Observation:
    """Record an observed session of a candidate of `cohort` on a published template."""
    if not can_record_with(observer_relation(actor, candidate_id, cohort.id), template):
        raise DomainError("Only the candidate's coach developers (or their peer group, where the "
                          "template allows) can record an observation.", field="template")
    if template.status != TemplateStatus.PUBLISHED or template.framework_id != cohort.framework_id:
        raise DomainError("Choose one of the templates listed.", field="template")
    if cohort.is_read_only:
        raise ReadOnlyError("This cohort's programme year is archived.")
    observation = Observation(cohort_id=cohort.id, candidate_id=candidate_id,
                              observer_id=actor.id, template_id=template.id)
    observation.template = template
    observation.cohort = cohort
    _apply(observation, data)
    db.session.add(observation)
    db.session.flush()
    return observation


def update_observation(actor, observation: Observation, data: ObservationData,
                       expected_lock: int | None) -> Observation:
    """The observer's change; a change from an out-of-date page is a conflict."""
    if not can_edit_observation(actor, observation):
        raise DomainError("Only the observer can change this observation.")
    if expected_lock is None or expected_lock != observation.lock_version:
        raise ConflictError(CONFLICT_MESSAGE)
    _apply(observation, data)
    _flush()
    return observation


def share_with_peers(actor, observation: Observation, shared: bool) -> Observation:
    if not can_share_observation(actor, observation):
        raise DomainError("Only the observed candidate can share this observation.")
    observation.shared_with_peers = bool(shared)
    _flush()
    return observation


def reflect_on(actor, observation: Observation) -> Entry:
    """Start the candidate's reflective entry on the observation, linked to it (one per
    observation: a second request gets AlreadyReflected)."""
    if not can_reflect_on(actor, observation):
        raise DomainError("Only the observed candidate can reflect on this observation.")
    if observation.reflections:
        raise AlreadyReflected("You have started a reflection on this observation already.")
    draft = EntryDraft()
    draft.title = f"Reflection: {observation.template.name}, {format_date(observation.observed_on)}"
    draft.practice_date = observation.observed_on
    draft.session_type = "competition" if observation.session_kind == "competition" \
        else "training"
    draft.sections = {"what": reference_text(observation)}
    draft.competency_ids = [competency.id for competency in observation.competencies]
    entry, _problems = entry_services.create_entry(actor, draft, lenient=True)
    observation.reflections.append(ObservationReflection(entry_id=entry.id))
    try:
        db.session.flush()
    except IntegrityError as error:
        raise AlreadyReflected("You have started a reflection on this observation already.") \
            from error
    return entry


def delete_for_withdrawn_consent(observation: Observation) -> None:
    """Delete an observation whose under-18 consent was withdrawn and whose grace is over (its
    competencies and reflection links go with it; a reflection entry stays its author's)."""
    record("observation.deleted", target=observation, reason="consent withdrawn")
    db.session.execute(delete(Observation).where(Observation.id == observation.id)
                       .execution_options(synchronize_session=False))
    db.session.expunge(observation)


def reference_text(observation: Observation) -> str:
    """The line a reflection starts with: which observation it answers (no observer's text)."""
    venue = f" at {observation.venue}" if observation.venue else ""
    return (f"Observed by {observation.observer.display_name} on "
            f"{format_date(observation.observed_on)}{venue} "
            f"({observation.template.label}, {observation.session_label.lower()}). ")


def reflection_entry_id(observation: Observation) -> int | None:
    return observation.reflections[0].entry_id if observation.reflections else None


# --- internals ---------------------------------------------------------------------------

def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as error:
        raise ConflictError(CONFLICT_MESSAGE) from error


def _text(value: str, limit: int, label: str, field_name: str) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > limit:
        raise DomainError(f"“{label}” is {len(value):,} characters long, over the limit of "
                          f"{limit:,}. Your text is still in the box: shorten it.",
                          field=field_name)
    return value


def _apply(observation: Observation, data: ObservationData) -> None:
    if data.observed_on is None:
        raise DomainError("Enter the date of the session.", field="observed_on")
    if data.observed_on > local(utcnow()).date() + timedelta(days=1):
        raise DomainError("The date of the session cannot be in the future.",
                          field="observed_on")
    if data.session_kind not in SESSION_KINDS:
        raise DomainError("Choose the type of session.", field="session_kind")
    if data.age_band not in AGE_BANDS:
        raise DomainError("Choose the athletes' age band.", field="age_band")
    template = observation.template
    observation.observed_on = data.observed_on
    observation.venue = _text(data.venue, MAX_VENUE, "Venue", "venue")
    observation.session_kind = data.session_kind
    observation.age_band = data.age_band
    observation.para_athletes = bool(data.para_athletes)
    observation.athletes = _text(data.athletes, MAX_ATHLETES, "The athletes", "athletes")
    observation.ratings = _ratings(template, data.ratings)
    observation.strengths = _text(data.strengths, MAX_TEXT, "Strengths", "strengths")
    observation.next_steps = _text(data.next_steps, MAX_TEXT, "Next steps", "next_steps")
    if not observation.strengths and not observation.next_steps and not observation.ratings:
        raise DomainError("Rate at least one criterion or write strengths or next steps.",
                          field="strengths")
    observation.competencies = _competencies(observation.cohort, data.competency_ids)


def _ratings(template: ObservationTemplate, ratings: dict) -> dict[str, int]:
    keys = {criterion["key"] for criterion in template.criteria}
    points = len(template.scale)
    chosen = {}
    for key, value in (ratings or {}).items():
        if value is None:
            continue
        if key not in keys or not isinstance(value, int) or not 0 <= value < points:
            raise DomainError("Choose each rating from the scale.", field="ratings")
        chosen[key] = value
    return chosen


def _competencies(cohort: Cohort, competency_ids: list[int]) -> list[Competency]:
    wanted = sorted(set(competency_ids or []))
    if not wanted:
        return []
    found = list(db.session.scalars(select(Competency).where(
        Competency.id.in_(wanted), Competency.framework_id == cohort.framework_id)))
    if len(found) != len(wanted):
        raise DomainError("Choose competencies from the list.", field="competencies")
    return found
