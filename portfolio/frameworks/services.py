"""Rules for competency frameworks: drafting, publishing, retiring and new versions.

A published version never changes (cohorts and sign-offs rely on it); "new version" copies it
into a draft that can be edited and published in its turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from ..audit.services import record
from ..database import lock_for_decision, utcnow
from ..errors import DomainError
from ..extensions import db
from ..programmes.models import Cohort
from .models import Competency, CompetencyArea, Framework, FrameworkStatus

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,31}$")
MAX_SIGNOFFS = 5


def assert_editable(framework: Framework) -> None:
    """Refuse changes to a framework that is no longer a draft.

    Every change to a draft (and publishing it) reads the framework again, locked, first, so a
    competency saved at the moment the draft is published either lands before the publication
    (and is part of it) or is refused after it; a published version never changes."""
    lock_for_decision(framework)
    if not framework.is_editable:
        raise DomainError(f"{framework.label} is {framework.status}, so it cannot be changed. "
                          "Make a new version to edit it.")


# --- frameworks -------------------------------------------------------------------------------

def clean_name(name: str, field: str = "name") -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Enter a name for the framework.", field=field)
    if len(name) > 160:
        raise DomainError("Enter a name of 160 characters or fewer.", field=field)
    return name


def latest_version(name: str) -> int:
    return db.session.scalar(select(func.max(Framework.version)).where(
        Framework.name == name)) or 0


def create_framework(actor, name: str, description: str) -> Framework:
    name = clean_name(name)
    if latest_version(name):
        raise DomainError(f"There is already a framework called “{name}”. Open it and make a "
                          "new version instead.", field="name")
    framework = Framework(name=name, version=1, status=FrameworkStatus.DRAFT,
                          description=description or "")
    db.session.add(framework)
    db.session.flush()
    record("framework.created", actor=actor, target=framework, name=name, version=1)
    return framework


def update_framework(actor, framework: Framework, name: str, description: str) -> None:
    assert_editable(framework)
    name = clean_name(name)
    clash = db.session.scalar(select(Framework.id).where(
        Framework.name == name, Framework.version == framework.version,
        Framework.id != framework.id))
    if clash is not None:
        raise DomainError(f"There is already a version {framework.version} of “{name}”.",
                          field="name")
    framework.name, framework.description = name, description or ""
    db.session.flush()


def publish(actor, framework: Framework) -> None:
    """Freeze a draft so cohorts can use it; it must have competencies in every area."""
    assert_editable(framework)
    if not framework.areas:
        raise DomainError("Add at least one area with competencies before publishing.")
    empty = [area.title for area in framework.areas if not area.competencies]
    if empty:
        raise DomainError(f"The area “{empty[0]}” has no competencies. Add some or delete the "
                          "area before publishing.")
    framework.status, framework.published_at = FrameworkStatus.PUBLISHED, utcnow()
    db.session.flush()
    record("framework.published", actor=actor, target=framework, name=framework.name,
           version=framework.version,
           competencies=sum(len(area.competencies) for area in framework.areas))


def retire(actor, framework: Framework) -> None:
    """Stop offering a published version to new cohorts; cohorts using it keep it."""
    if framework.status != FrameworkStatus.PUBLISHED:
        raise DomainError(f"Only a published version can be retired; {framework.label} is "
                          f"{framework.status}.")
    framework.status = FrameworkStatus.RETIRED
    db.session.flush()
    record("framework.retired", actor=actor, target=framework, name=framework.name,
           version=framework.version)


def new_version(actor, framework: Framework) -> Framework:
    """Copy a published or retired version into the next draft version of the framework."""
    if framework.is_editable:
        raise DomainError(f"{framework.label} is still a draft: edit it directly.")
    draft = db.session.scalar(select(Framework).where(
        Framework.name == framework.name, Framework.status == FrameworkStatus.DRAFT))
    if draft is not None:
        raise DomainError(f"Version {draft.version} of {framework.name} is already being "
                          "drafted. Edit or delete it first.")
    copy = Framework(name=framework.name, version=latest_version(framework.name) + 1,
                     status=FrameworkStatus.DRAFT, description=framework.description,
                     based_on_id=framework.id)
    db.session.add(copy)
    db.session.flush()
    for area in framework.areas:
        new_area = CompetencyArea(framework_id=copy.id, position=area.position,
                                  title=area.title, description=area.description)
        db.session.add(new_area)
        db.session.flush()
        for item in area.competencies:
            db.session.add(Competency(
                framework_id=copy.id, area_id=new_area.id, position=item.position,
                code=item.code, title=item.title, description=item.description,
                evidence_guidance=item.evidence_guidance,
                developer_signoffs_required=item.developer_signoffs_required,
                peer_signoffs_required=item.peer_signoffs_required))
    db.session.flush()
    record("framework.version_created", actor=actor, target=copy, name=copy.name,
           version=copy.version, based_on=framework.id)
    return copy


def delete_draft(actor, framework: Framework) -> None:
    assert_editable(framework)
    if db.session.scalar(select(Cohort.id).where(Cohort.framework_id == framework.id).limit(1)):
        raise DomainError("A cohort uses this framework, so it cannot be deleted.")
    record("framework.deleted", actor=actor, target=framework, name=framework.name,
           version=framework.version)
    db.session.delete(framework)
    db.session.flush()


# --- areas ------------------------------------------------------------------------------------

def save_area(actor, framework: Framework, area: CompetencyArea | None, title: str,
              description: str) -> CompetencyArea:
    assert_editable(framework)
    title = " ".join((title or "").split())
    if not title:
        raise DomainError("Enter a title for the area.", field="title")
    if len(title) > 160:
        raise DomainError("Enter a title of 160 characters or fewer.", field="title")
    if area is None:
        position = max((a.position for a in framework.areas), default=-1) + 1
        area = CompetencyArea(framework_id=framework.id, position=position)
        db.session.add(area)
    area.title, area.description = title, description or ""
    db.session.flush()
    return area


def delete_area(actor, area: CompetencyArea) -> None:
    assert_editable(area.framework)
    db.session.delete(area)
    db.session.flush()


def move_area(actor, area: CompetencyArea, direction: str) -> None:
    assert_editable(area.framework)
    _swap(area.framework.areas, area, direction)


# --- competencies -----------------------------------------------------------------------------

@dataclass
class CompetencyDetails:
    code: str
    title: str
    description: str = ""
    evidence_guidance: str = ""
    developer_signoffs_required: int = 1
    peer_signoffs_required: int = 0
    area_id: int | None = None


def competency_problems(details: CompetencyDetails) -> list[tuple[str, str]]:
    """(field, message) for everything wrong with one competency's values."""
    problems = []
    details.code = (details.code or "").strip().upper()
    details.title = " ".join((details.title or "").split())
    if not details.code:
        problems.append(("code", "Enter a code, like VP1."))
    elif not CODE_PATTERN.match(details.code):
        problems.append(("code", "Codes use letters, digits, dots or dashes (up to 32), "
                                 "like VP1."))
    if not details.title:
        problems.append(("title", "Enter a title."))
    elif len(details.title) > 200:
        problems.append(("title", "Enter a title of 200 characters or fewer."))
    for key, who in (("developer_signoffs_required", "coach developer"),
                     ("peer_signoffs_required", "peer")):
        value = getattr(details, key)
        if not isinstance(value, int) or isinstance(value, bool) \
                or not 0 <= value <= MAX_SIGNOFFS:
            problems.append((key, f"Enter how many {who} sign-offs are needed, from 0 to "
                                  f"{MAX_SIGNOFFS}."))
    if not problems and details.developer_signoffs_required + details.peer_signoffs_required < 1:
        problems.append(("developer_signoffs_required", "A competency needs at least one "
                                                        "sign-off."))
    return problems


def save_competency(actor, framework: Framework, competency: Competency | None,
                    details: CompetencyDetails) -> Competency:
    assert_editable(framework)
    problems = competency_problems(details)
    if problems:
        field, message = problems[0]
        raise DomainError(message, field=field)
    area = next((a for a in framework.areas if a.id == details.area_id), None)
    if area is None:
        raise DomainError("Choose an area of this framework.", field="area_id")
    clash = select(Competency.id).where(Competency.framework_id == framework.id,
                                        Competency.code == details.code)
    if competency is not None:
        clash = clash.where(Competency.id != competency.id)
    if db.session.scalar(clash) is not None:
        raise DomainError(f"Another competency in this version already has the code "
                          f"{details.code}.", field="code")
    if competency is None or competency.area_id != area.id:
        position = max((c.position for c in area.competencies), default=-1) + 1
        if competency is None:
            competency = Competency(framework_id=framework.id)
            db.session.add(competency)
        competency.area_id, competency.position = area.id, position
    for key in ("code", "title", "developer_signoffs_required", "peer_signoffs_required"):
        setattr(competency, key, getattr(details, key))
    competency.description = details.description or ""
    competency.evidence_guidance = details.evidence_guidance or ""
    db.session.flush()
    db.session.expire(area, ["competencies"])
    return competency


def delete_competency(actor, competency: Competency) -> None:
    assert_editable(competency.area.framework)
    db.session.delete(competency)
    db.session.flush()


def move_competency(actor, competency: Competency, direction: str) -> None:
    assert_editable(competency.area.framework)
    _swap(competency.area.competencies, competency, direction)


def _swap(siblings: list, item, direction: str) -> None:
    ordered = sorted(siblings, key=lambda s: (s.position, s.id))
    for position, sibling in enumerate(ordered):
        sibling.position = position
    index = ordered.index(item)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(ordered):
        return
    ordered[index].position, ordered[other].position = other, index
    db.session.flush()
