"""Demo programme: the demo framework, a closed 2025-2026 pilot and an active 2026-2027 cohort.

Idempotent and flush-only, like every demo seeder. Memberships are written directly so the
demo does not fill the outbox with invitation emails.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from ..auth.models import User
from ..auth.services import create_user
from ..database import utcnow
from ..extensions import db
from ..frameworks import services as framework_services
from ..frameworks.models import Framework, FrameworkStatus
from ..frameworks.transfer import build_from_document
from ..programmes.models import (
    Cohort,
    CohortMembership,
    MemberRole,
    MembershipStatus,
    Pathway,
    PeerGroup,
    PeerGroupMember,
    ProgrammeYear,
    Specialism,
    YearStatus,
)
from ..programmes.services import (
    CohortDetails,
    YearDetails,
    change_year_status,
    create_cohort,
    create_year,
    ensure_reference_lists,
)

DEMO_FRAMEWORK = Path(__file__).resolve().parent.parent / "frameworks" / "demo_framework.json"
PILOT_COMPLETER = ("ellis.grant@example.org", "Ellis Grant")
SPECIALISMS = {
    "coach1@example.org": ["Sprints & Hurdles"],
    "coach2@example.org": ["Jumps", "Combined Events"],
    "coach3@example.org": ["Endurance"],
}


def seed(users: dict[str, User]) -> bool:
    ensure_reference_lists()
    lead = users["lead@example.org"]
    framework, created = demo_framework(lead)
    pilot_year, new_pilot_year = _year(lead, "2025-2026", date(2025, 9, 1), YearStatus.CLOSED)
    year, new_year = _year(lead, "2026-2027", date(2026, 9, 1), YearStatus.ACTIVE)
    pilot, new_pilot = _cohort(lead, pilot_year, "Talent pilot 2025-2026", framework)
    if new_pilot:
        _pilot_members(pilot, users)
    cohort, new_cohort = _cohort(lead, year, "Talent 2026-2027", framework, from_cohort=pilot)
    if new_cohort:
        _talent_members(cohort, users)
    db.session.flush()
    return any((created, new_pilot_year, new_year, new_pilot, new_cohort))


def demo_framework(actor) -> tuple[Framework, bool]:
    """The shipped demo framework, imported through the JSON import and published."""
    document = json.loads(DEMO_FRAMEWORK.read_text(encoding="utf-8"))
    existing = db.session.scalar(select(Framework).where(
        Framework.name == document["name"], Framework.status == FrameworkStatus.PUBLISHED)
        .order_by(Framework.version.desc()))
    if existing is not None:
        return existing, False
    framework = build_from_document(actor, document)
    framework_services.publish(actor, framework)
    return framework, True


def _year(actor, label: str, starts_on: date,
          status: YearStatus) -> tuple[ProgrammeYear, bool]:
    year = db.session.scalar(select(ProgrammeYear).where(ProgrammeYear.label == label))
    if year is not None:
        return year, False
    year = create_year(actor, YearDetails(label, starts_on,
                                          starts_on.replace(year=starts_on.year + 1)
                                          - timedelta(days=1)))
    for step in (YearStatus.ACTIVE, YearStatus.CLOSED):
        if year.status != status:
            change_year_status(actor, year, step)
    return year, True


def _cohort(actor, year: ProgrammeYear, name: str, framework: Framework,
            from_cohort: Cohort | None = None) -> tuple[Cohort, bool]:
    cohort = db.session.scalar(select(Cohort).where(Cohort.year_id == year.id,
                                                    Cohort.name == name))
    if cohort is not None:
        return cohort, False
    pathway = db.session.scalar(select(Pathway).where(Pathway.name == "Talent"))
    details = CohortDetails(name=name, pathway_id=pathway.id, framework_id=framework.id,
                            onboarding_on=year.starts_on + timedelta(days=14),
                            ends_on=year.ends_on, turnaround_days=14, capacity=12)
    return create_cohort(actor, year, details, rolled_over_from=from_cohort), True


def _member(cohort: Cohort, user: User, role: MemberRole,
            status: MembershipStatus = MembershipStatus.ACTIVE,
            developer: User | None = None, specialisms=()) -> CohortMembership:
    membership = CohortMembership(cohort_id=cohort.id, user_id=user.id, role=role,
                                  status=status,
                                  coach_developer_id=developer.id if developer else None,
                                  completed_at=utcnow()
                                  if status == MembershipStatus.COMPLETED else None)
    membership.specialisms = list(db.session.scalars(
        select(Specialism).where(Specialism.name.in_(list(specialisms)))))
    db.session.add(membership)
    db.session.flush()
    return membership


def _pilot_members(pilot: Cohort, users: dict[str, User]) -> None:
    developer = users["developer@example.org"]
    _member(pilot, developer, MemberRole.COACH_DEVELOPER)
    completer = db.session.scalar(select(User).where(User.email == PILOT_COMPLETER[0]))
    if completer is None:
        completer = create_user(*PILOT_COMPLETER)  # no password: cannot sign in
    _member(pilot, completer, MemberRole.CANDIDATE, MembershipStatus.COMPLETED, developer,
            ["Throws"])
    _member(pilot, users["coach3@example.org"], MemberRole.CANDIDATE,
            MembershipStatus.DEFERRED, developer,
            SPECIALISMS["coach3@example.org"])


def _talent_members(cohort: Cohort, users: dict[str, User]) -> None:
    developer = users["developer@example.org"]
    _member(cohort, developer, MemberRole.COACH_DEVELOPER)
    candidates = [_member(cohort, users[email], MemberRole.CANDIDATE, MembershipStatus.ACTIVE,
                          developer, names)
                  for email, names in SPECIALISMS.items()]
    group = PeerGroup(cohort_id=cohort.id, name="Track and field circle")
    db.session.add(group)
    db.session.flush()
    for membership in candidates:
        db.session.add(PeerGroupMember(peer_group_id=group.id, membership_id=membership.id))
