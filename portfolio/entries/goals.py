"""Development goals: what the candidate is working towards, with dated progress notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import wraps

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..errors import ConflictError, DomainError, ReadOnlyError
from ..extensions import db
from ..frameworks.models import Competency, in_framework_order
from .authoring import can_write_portfolio, writing_membership
from .models import GOAL_STATUSES, PRIVACY_TIERS, Goal, GoalNote
from .vocabulary import GOAL_TEXT_MAX_CHARS, normalise_text

CONFLICT_MESSAGE = ("This goal was changed somewhere else (another window or device) at the "
                    "same moment, so your changes were not saved. They are below: save again "
                    "to keep them.")


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
    status: str = "not_started"
    privacy: str = "developers"
    competency_ids: list[int] = field(default_factory=list)


@_settled_by_the_database
def create_goal(actor, data: GoalData) -> Goal:
    _assert_can_write(actor)
    goal = Goal(owner_id=actor.id, title="")
    _apply(goal, data, actor)
    db.session.add(goal)
    db.session.flush()
    return goal


@_settled_by_the_database
def update_goal(goal: Goal, data: GoalData, actor) -> Goal:
    _assert_owner(goal, actor)
    _apply(goal, data, actor)
    db.session.flush()
    return goal


@_settled_by_the_database
def add_note(goal: Goal, body: str, actor) -> GoalNote:
    """Add a dated progress note to a goal."""
    _assert_owner(goal, actor)
    body = normalise_text(body).strip()
    if not body:
        raise DomainError("Write your progress note.", "body")
    if len(body) > GOAL_TEXT_MAX_CHARS:
        raise DomainError(f"A note can be up to {GOAL_TEXT_MAX_CHARS:,} characters.", "body")
    note = GoalNote(goal_id=goal.id, body=body)
    db.session.add(note)
    db.session.flush()
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
