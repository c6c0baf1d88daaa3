"""Rules for programme years, cohorts and the managed pathway and specialism lists.

Every function takes the acting user, raises DomainError with the field it concerns, and only
flushes; the view commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..audit.services import record
from ..database import lock_for_decision
from ..errors import DomainError, ReadOnlyError
from ..extensions import db
from ..frameworks.models import Framework, FrameworkStatus
from .access import assert_cohort_writable
from .models import (
    Cohort,
    CohortMembership,
    MemberRole,
    MembershipStatus,
    Pathway,
    ProgrammeYear,
    Specialism,
    YearStatus,
)

PATHWAYS = ("Talent", "Children & Young People", "Performance")
SPECIALISMS = ("Sprints & Hurdles", "Endurance", "Jumps", "Throws", "Combined Events",
               "Race Walking", "Wheelchair Racing", "Ambulant Para")

# Each status may move to these; archived is final because archived years are read-only.
YEAR_TRANSITIONS = {
    YearStatus.PLANNING: (YearStatus.ACTIVE,),
    YearStatus.ACTIVE: (YearStatus.CLOSED,),
    YearStatus.CLOSED: (YearStatus.ACTIVE, YearStatus.ARCHIVED),
    YearStatus.ARCHIVED: (),
}
YEAR_STATUS_LABELS = {YearStatus.PLANNING: "Planning", YearStatus.ACTIVE: "Active",
                      YearStatus.CLOSED: "Closed", YearStatus.ARCHIVED: "Archived"}
_LABEL = re.compile(r"^(\d{4})-(\d{4})$")


# --- reference lists ------------------------------------------------------------------------

def ensure_reference_lists() -> None:
    """Create any missing seeded pathway or specialism (idempotent, flush only)."""
    for model, names in ((Pathway, PATHWAYS), (Specialism, SPECIALISMS)):
        existing = set(db.session.scalars(select(model.name)))
        for position, name in enumerate(names):
            if name not in existing:
                db.session.add(model(name=name, position=position, active=True))
    db.session.flush()


LIST_MODELS = {"pathways": Pathway, "specialisms": Specialism}


def add_list_item(actor, kind: str, name: str) -> Pathway | Specialism:
    model = LIST_MODELS[kind]
    name = _clean_list_name(kind, name, model)
    position = (db.session.scalar(select(func.max(model.position))) or 0) + 1
    item = model(name=name, position=position, active=True)
    db.session.add(item)
    db.session.flush()
    record(f"{kind}.added", actor=actor, target=item, name=name)
    return item


def update_list_item(actor, kind: str, item, name: str, position: int, active: bool) -> None:
    model = LIST_MODELS[kind]
    name = _clean_list_name(kind, name, model, exclude_id=item.id)
    changes = {key: value for key, value in (("name", name), ("position", position),
                                             ("active", active))
               if getattr(item, key) != value}
    for key, value in changes.items():
        setattr(item, key, value)
    if changes:
        db.session.flush()
        record(f"{kind}.changed", actor=actor, target=item, **changes)


def _clean_list_name(kind: str, name: str, model, exclude_id: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Enter a name.", field="name")
    clash = select(model.id).where(func.lower(model.name) == name.lower())
    if exclude_id is not None:
        clash = clash.where(model.id != exclude_id)
    if db.session.scalar(clash) is not None:
        singular = kind.removesuffix("s")
        raise DomainError(f"There is already a {singular} called “{name}”.", field="name")
    return name


# --- programme years --------------------------------------------------------------------------

@dataclass
class YearDetails:
    label: str
    starts_on: date
    ends_on: date


def create_year(actor, details: YearDetails) -> ProgrammeYear:
    _check_year(details)
    year = ProgrammeYear(label=details.label.strip(), starts_on=details.starts_on,
                         ends_on=details.ends_on, status=YearStatus.PLANNING)
    db.session.add(year)
    db.session.flush()
    record("year.created", actor=actor, target=year, label=year.label)
    return year


def update_year(actor, year: ProgrammeYear, details: YearDetails) -> None:
    lock_for_decision(year)
    refuse_archived_year(year)
    _check_year(details, exclude_id=year.id)
    changes = {}
    for key in ("label", "starts_on", "ends_on"):
        value = getattr(details, key)
        if getattr(year, key) != value:
            changes[key] = value
            setattr(year, key, value)
    if changes:
        db.session.flush()
        record("year.updated", actor=actor, target=year, **changes)


def change_year_status(actor, year: ProgrammeYear, status: str) -> None:
    """Move a year along planning → active → closed → archived (or reopen a closed year).

    The year is read again, locked, first: two leads moving it at the same moment take turns,
    and the second sees where the first left it (an archived year is never reopened)."""
    lock_for_decision(year)
    refuse_archived_year(year)
    allowed = YEAR_TRANSITIONS[year.status]
    if status not in allowed:
        raise DomainError(f"{year.label} is {year.status}, so it can only be made "
                          f"{' or '.join(allowed)} next, not {status}.", field="status")
    previous, year.status = year.status, status
    db.session.flush()
    record("year.status_changed", actor=actor, target=year, label=year.label,
           previous=previous, status=status)


def _check_year(details: YearDetails, exclude_id: int | None = None) -> None:
    label = (details.label or "").strip()
    match = _LABEL.match(label)
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise DomainError("Enter the label as two consecutive years, like 2026-2027.",
                          field="label")
    details.label = label
    if details.ends_on <= details.starts_on:
        raise DomainError("The end date must be after the start date.", field="ends_on")
    clash = select(ProgrammeYear.id).where(ProgrammeYear.label == label)
    if exclude_id is not None:
        clash = clash.where(ProgrammeYear.id != exclude_id)
    if db.session.scalar(clash) is not None:
        raise DomainError("There is already a programme year with this label.", field="label")


def refuse_archived_year(year: ProgrammeYear) -> None:
    if year.is_archived:
        raise ReadOnlyError(f"The {year.label} programme year is archived, so nothing in it "
                            "can be changed.")


# --- cohorts ----------------------------------------------------------------------------------

@dataclass
class CohortDetails:
    name: str
    pathway_id: int | None
    framework_id: int | None
    onboarding_on: date
    ends_on: date
    turnaround_days: int
    capacity: int


def create_cohort(actor, year: ProgrammeYear, details: CohortDetails,
                  rolled_over_from: Cohort | None = None) -> Cohort:
    refuse_archived_year(year)
    _check_cohort(year, details)
    cohort = Cohort(year_id=year.id, name=details.name, pathway_id=details.pathway_id,
                    framework_id=details.framework_id, onboarding_on=details.onboarding_on,
                    ends_on=details.ends_on, turnaround_days=details.turnaround_days,
                    capacity=details.capacity,
                    rolled_over_from_id=rolled_over_from.id if rolled_over_from else None)
    db.session.add(cohort)
    db.session.flush()
    record("cohort.created", actor=actor, target=cohort, cohort_id=cohort.id, name=cohort.name,
           year=year.label, framework_id=cohort.framework_id)
    return cohort


def update_cohort(actor, cohort: Cohort, details: CohortDetails) -> None:
    lock_for_decision(cohort)  # the candidate count checked against the capacity stays true
    assert_cohort_writable(cohort)
    _check_cohort(cohort.year, details, cohort=cohort)
    changes = {}
    for key in ("name", "pathway_id", "framework_id", "onboarding_on", "ends_on",
                "turnaround_days", "capacity"):
        value = getattr(details, key)
        if getattr(cohort, key) != value:
            changes[key] = value
            setattr(cohort, key, value)
    if changes:
        db.session.flush()
        record("cohort.updated", actor=actor, target=cohort, cohort_id=cohort.id, **changes)


def _check_cohort(year: ProgrammeYear, details: CohortDetails, cohort: Cohort | None = None):
    details.name = " ".join((details.name or "").split())
    if not details.name:
        raise DomainError("Enter a name for the cohort.", field="name")
    clash = select(Cohort.id).where(Cohort.year_id == year.id, Cohort.name == details.name)
    if cohort is not None:
        clash = clash.where(Cohort.id != cohort.id)
    if db.session.scalar(clash) is not None:
        raise DomainError(f"There is already a cohort called “{details.name}” in {year.label}.",
                          field="name")
    pathway = db.session.get(Pathway, details.pathway_id) if details.pathway_id else None
    if pathway is None or (not pathway.active and (cohort is None
                                                   or cohort.pathway_id != pathway.id)):
        raise DomainError("Choose a pathway.", field="pathway_id")
    check_publishable_choice(details.framework_id, cohort)
    if details.ends_on <= details.onboarding_on:
        raise DomainError("The end date must be after the onboarding date.", field="ends_on")
    if not 1 <= details.turnaround_days <= 90:
        raise DomainError("Enter a review turnaround between 1 and 90 days.",
                          field="turnaround_days")
    if not 1 <= details.capacity <= 500:
        raise DomainError("Enter a capacity between 1 and 500 candidates.", field="capacity")
    if cohort is not None:
        taken = candidate_count(cohort.id)
        if details.capacity < taken:
            raise DomainError(f"The cohort already has {taken} candidates; the capacity cannot "
                              "be lower than that.", field="capacity")


def check_publishable_choice(framework_id: int | None, cohort: Cohort | None = None,
                             field: str = "framework_id") -> Framework:
    """A cohort uses a published framework version (a cohort keeps one that was retired)."""
    framework = db.session.get(Framework, framework_id) if framework_id else None
    if framework is None:
        raise DomainError("Choose a framework version.", field=field)
    keeps_retired = (cohort is not None and cohort.framework_id == framework.id
                     and framework.status == FrameworkStatus.RETIRED)
    if framework.status != FrameworkStatus.PUBLISHED and not keeps_retired:
        raise DomainError(f"{framework.label} is {framework.status}; a cohort must use a "
                          "published framework version.", field=field)
    return framework


def candidate_count(cohort_id: int) -> int:
    """Candidates taking a place in the cohort (everyone but the withdrawn)."""
    return db.session.scalar(select(func.count()).select_from(CohortMembership).where(
        CohortMembership.cohort_id == cohort_id, CohortMembership.role == MemberRole.CANDIDATE,
        CohortMembership.status != MembershipStatus.WITHDRAWN)) or 0
