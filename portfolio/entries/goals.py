"""Development goals: what the candidate is working towards, with dated progress notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import wraps

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..database import utcnow
from ..errors import ConflictError, DomainError, ReadOnlyError
from ..extensions import db
from ..frameworks.models import Competency, in_framework_order
from ..once import submission_key
from .authoring import can_write_portfolio, writing_membership
from .models import GOAL_STATUSES, PRIVACY_TIERS, Goal, GoalNote, GoalStatus, PrivacyTier
from .vocabulary import GOAL_TEXT_MAX_CHARS, normalise_text

CONFLICT_MESSAGE = ("This goal was changed somewhere else (another window or device) after "
                    "you opened it, so your changes were not saved over it. They are below: "
                    "save again to keep them.")


class AlreadyAdded(DomainError):
    """The same form was already stored (a double click or a retried post)."""


def _settled_by_the_database(service):
    """Another tab's write to the same goal won the race: say so instead of failing."""
    @wraps(service)
    def guarded(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except (StaleDataError, IntegrityError) as error:
            raise ConflictError(CONFLICT_MESSAGE) from error
    return guarded


@dataclass
class GoalData:
    title: str
    description: str = ""
    target_date: date | None = None
    status: str = GoalStatus.NOT_STARTED
    privacy: str = PrivacyTier.DEVELOPERS
    competency_ids: list[int] = field(default_factory=list)


@_settled_by_the_database
def create_goal(actor, data: GoalData, *, form_key: str | None = None) -> Goal:
    """Add a goal; the same form (`form_key`) sent twice adds it once (AlreadyAdded)."""
    _assert_can_write(actor)
    goal = Goal(owner_id=actor.id, title="", submission_key=submission_key(
        form_key, data.title, data.description, data.status))
    _apply(goal, data, actor)
    db.session.add(goal)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise AlreadyAdded("This goal was already added.") from error
    return goal


@_settled_by_the_database
def update_goal(goal: Goal, data: GoalData, actor, *,
                expected_lock: int | None = None) -> Goal:
    """Change a goal; an edit based on an older lock_version raises ConflictError."""
    _assert_owner(goal, actor)
    if expected_lock is not None and expected_lock != goal.lock_version:
        raise ConflictError(CONFLICT_MESSAGE)
    _apply(goal, data, actor)
    goal.updated_at = utcnow()  # always an UPDATE, so a change of competencies alone counts
    db.session.flush()
    return goal


@_settled_by_the_database
def add_note(goal: Goal, body: str, actor, *, form_key: str | None = None) -> GoalNote:
    """Add a dated progress note to a goal; the same form sent twice adds it once."""
    _assert_owner(goal, actor)
    body = normalise_text(body).strip()
    if not body:
        raise DomainError("Write your progress note.", "body")
    if len(body) > GOAL_TEXT_MAX_CHARS:
        raise DomainError(f"A note can be up to {GOAL_TEXT_MAX_CHARS:,} characters.", "body")
    note = GoalNote(goal_id=goal.id, body=body, submission_key=submission_key(form_key, body))
    db.session.add(note)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise AlreadyAdded("This progress note was already added.") from error
    return note


@_settled_by_the_database
def delete_goal(goal: Goal, actor) -> None:
    _assert_owner(goal, actor)
    db.session.delete(goal)
    db.session.flush()


def _apply(goal: Goal, data: GoalData, actor) -> None:
    title = " ".join(normalise_text(data.title).split())
    if not title:
        raise DomainError("Enter the goal.", "title")
    if len(title) > 200:
        raise DomainError("The goal must be 200 characters or fewer; put detail in the "
                          "description.", "title")
    description = normalise_text(data.description).strip()
    if len(description) > GOAL_TEXT_MAX_CHARS:
        raise DomainError(f"The description can be up to {GOAL_TEXT_MAX_CHARS:,} characters.",
                          "description")
    if data.status not in GOAL_STATUSES:
        raise DomainError("Choose the goal's status.", "status")
    if data.privacy not in PRIVACY_TIERS:
        raise DomainError("Choose who can see this goal.", "privacy")
    goal.title, goal.description, goal.target_date = title, description, data.target_date
    goal.status, goal.privacy = data.status, data.privacy
    goal.competencies = _competencies(actor, data.competency_ids)


def _competencies(actor, ids: list[int]) -> list[Competency]:
    wanted = {int(item) for item in ids}
    if not wanted:
        return []
    membership = writing_membership(actor)
    framework_id = membership.cohort.framework_id if membership else None
    found = list(db.session.scalars(in_framework_order(select(Competency).where(
        Competency.id.in_(wanted), Competency.framework_id == framework_id))))
    if {item.id for item in found} != wanted:
        raise DomainError("Choose competencies from your cohort's framework.", "competencies")
    return found


def _assert_owner(goal: Goal, actor) -> None:
    if actor is None or goal.owner_id != actor.id:
        raise DomainError("Only the candidate can change their goals.")
    _assert_can_write(actor)


def _assert_can_write(actor) -> None:
    if can_write_portfolio(actor):
        return
    if writing_membership(actor) is not None:
        raise ReadOnlyError("Your programme year is archived, so your goals can no longer be "
                            "changed.")
    raise DomainError("Only candidates in a cohort can set development goals.")
