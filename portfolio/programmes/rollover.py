"""'Start next year' on a cohort: a cohort in a later programme year carrying chosen members.

A carried candidate keeps their portfolio because entries and sign-offs belong to the person,
not the cohort. Sign-offs match competencies by code (see reviews/progress.py), so one stays
valid wherever the new framework version keeps its code; the preview shows exactly that.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..errors import DomainError
from ..extensions import db
from ..frameworks.models import Framework
from ..reviews.progress import framework_competencies, progress_for, valid_signoff_counts
from .access import assert_cohort_writable
from .models import (
    Cohort,
    CohortMembership,
    MemberRole,
    MembershipStatus,
    ProgrammeYear,
    YearStatus,
)
from .services import CohortDetails, check_publishable_choice, create_cohort

CARRIED_BY_DEFAULT = (MembershipStatus.INVITED, MembershipStatus.ACTIVE,
                      MembershipStatus.DEFERRED)


def rollover_candidates(cohort: Cohort) -> list[CohortMembership]:
    """Members who could be carried (everyone not withdrawn), developers first then by name."""
    memberships = db.session.scalars(
        select(CohortMembership).where(CohortMembership.cohort_id == cohort.id,
                                       CohortMembership.status != MembershipStatus.WITHDRAWN)
        .options(selectinload(CohortMembership.user))).all()
    return sorted(memberships, key=lambda m: (m.role != MemberRole.COACH_DEVELOPER,
                                              m.user.display_name.lower(), m.id))


def default_member_ids(cohort: Cohort) -> list[int]:
    """Deferred and not-yet-completed candidates, and every coach developer."""
    return [membership.id for membership in rollover_candidates(cohort)
            if membership.is_developer or membership.status in CARRIED_BY_DEFAULT]


def target_years(cohort: Cohort) -> list[ProgrammeYear]:
    """Programme years after the cohort's own that can still take new cohorts."""
    return list(db.session.scalars(
        select(ProgrammeYear).where(ProgrammeYear.starts_on > cohort.year.starts_on,
                                    ProgrammeYear.status != YearStatus.ARCHIVED)
        .order_by(ProgrammeYear.starts_on)))


def suggested_name(cohort: Cohort, year: ProgrammeYear | None) -> str:
    if year is not None and cohort.year.label in cohort.name:
        return cohort.name.replace(cohort.year.label, year.label)
    return cohort.name


@dataclass
class CarriedCandidate:
    membership: CohortMembership
    carried: list[tuple[str, str]] = field(default_factory=list)  # (code, state in new version)
    not_carried: list[str] = field(default_factory=list)


@dataclass
class RolloverPlan:
    source: Cohort
    year: ProgrammeYear
    framework: Framework
    name: str
    members: list[CohortMembership]
    candidates: list[CarriedCandidate]

    @property
    def developers(self) -> list[CohortMembership]:
        return [membership for membership in self.members if membership.is_developer]

    @property
    def digest(self) -> str:
        """Fingerprint of the choices, so a confirmation matches what was previewed."""
        ids = ",".join(str(m.id) for m in sorted(self.members, key=lambda m: m.id))
        text = f"{self.source.id}|{self.year.id}|{self.framework.id}|{self.name}|{ids}"
        return hashlib.sha256(text.encode()).hexdigest()


def plan_rollover(cohort: Cohort, year_id, framework_id, name: str,
                  membership_ids) -> RolloverPlan:
    """Check the choices and work out what carries; raises DomainError naming the field."""
    assert_cohort_writable(cohort)
    year = next((y for y in target_years(cohort) if y.id == _as_int(year_id)), None)
    if year is None:
        raise DomainError("Choose a programme year that starts after "
                          f"{cohort.year.label} and is not archived.", field="year_id")
    framework = check_publishable_choice(_as_int(framework_id))
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Enter a name for the new cohort.", field="name")
    chosen = {_as_int(i) for i in membership_ids or ()}
    members = [m for m in rollover_candidates(cohort) if m.id in chosen]
    if len(members) != len(chosen):
        raise DomainError("Choose members of this cohort who have not withdrawn.",
                          field="membership_ids")
    candidates = [m for m in members if m.is_candidate]
    if len(candidates) > cohort.capacity:
        raise DomainError(f"{len(candidates)} candidates are chosen but the cohort holds "
                          f"{cohort.capacity}. Raise its capacity or carry fewer.",
                          field="membership_ids")
    return RolloverPlan(cohort, year, framework, name, members,
                        carried_signoffs(candidates, framework))


def carried_signoffs(candidates: list[CohortMembership],
                     framework: Framework) -> list[CarriedCandidate]:
    """For each candidate, the signed-off codes the new version keeps and those it drops."""
    ids = [membership.user_id for membership in candidates]
    competencies = framework_competencies(framework.id)
    codes = {competency.code for competency in competencies}
    progress = progress_for(ids, competencies)
    signed = {}
    for (candidate_id, code, _role), count in valid_signoff_counts(ids).items():
        if count:
            signed.setdefault(candidate_id, set()).add(code)
    result = []
    for membership in candidates:
        mine = signed.get(membership.user_id, set())
        items = progress[membership.user_id].items
        result.append(CarriedCandidate(
            membership,
            carried=[(c.code, items[c.code].label) for c in competencies if c.code in mine],
            not_carried=sorted(mine - codes, key=_code_order)))
    return result


def _code_order(code: str):
    return (code.rstrip("0123456789"), int("0" + code[len(code.rstrip("0123456789")):]))


def execute_rollover(actor, plan: RolloverPlan) -> Cohort:
    """Create the new cohort and carry the chosen members into it."""
    source = plan.source
    assert_cohort_writable(source)
    details = CohortDetails(
        name=plan.name, pathway_id=source.pathway_id, framework_id=plan.framework.id,
        onboarding_on=plan.year.starts_on, ends_on=plan.year.ends_on,
        turnaround_days=source.turnaround_days, capacity=source.capacity)
    cohort = create_cohort(actor, plan.year, details, rolled_over_from=source)
    carried_users = {membership.user_id for membership in plan.members}
    for membership in plan.members:
        developer_id = membership.coach_developer_id
        copy = CohortMembership(
            cohort_id=cohort.id, user_id=membership.user_id, role=membership.role,
            status=MembershipStatus.INVITED if membership.status == MembershipStatus.INVITED
            else MembershipStatus.ACTIVE,
            coach_developer_id=developer_id if developer_id in carried_users else None)
        copy.specialisms = list(membership.specialisms)
        db.session.add(copy)
        db.session.flush()
        record("membership.added", actor=actor, target=copy, cohort_id=cohort.id,
               user_id=copy.user_id, role=copy.role, status=copy.status, source="rollover",
               from_cohort=source.id)
    record("cohort.rolled_over", actor=actor, target=cohort, cohort_id=cohort.id,
           from_cohort=source.id, year=plan.year.label, framework_id=plan.framework.id,
           candidates=len(plan.candidates), developers=len(plan.developers),
           codes_carried=sum(len(c.carried) for c in plan.candidates),
           codes_not_carried=sum(len(c.not_carried) for c in plan.candidates))
    return cohort


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

