"""Read-side queries for programme pages: a fixed number of statements whatever the size."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..extensions import db
from ..frameworks.models import Framework, FrameworkStatus
from .models import (
    Cohort,
    CohortMembership,
    MemberRole,
    MembershipStatus,
    Pathway,
    PeerGroup,
    PeerGroupMember,
    ProgrammeYear,
    Specialism,
)

STATUS_ORDER = (MembershipStatus.ACTIVE, MembershipStatus.INVITED, MembershipStatus.DEFERRED,
                MembershipStatus.COMPLETED, MembershipStatus.WITHDRAWN)


@dataclass
class CohortSummary:
    cohort: Cohort
    counts: Counter = field(default_factory=Counter)  # (role, status) -> n

    def count(self, role: str, status: str | None = None) -> int:
        return sum(n for (r, s), n in self.counts.items()
                   if r == role and (status is None or s == status))

    @property
    def places_taken(self) -> int:
        return self.count(MemberRole.CANDIDATE) \
            - self.count(MemberRole.CANDIDATE, MembershipStatus.WITHDRAWN)


def overview() -> list[tuple[ProgrammeYear, list[CohortSummary]]]:
    """Every year, newest first, with its cohorts and member counts (three statements)."""
    years = db.session.scalars(
        select(ProgrammeYear).order_by(ProgrammeYear.starts_on.desc())
        .options(selectinload(ProgrammeYear.cohorts).selectinload(Cohort.pathway),
                 selectinload(ProgrammeYear.cohorts).selectinload(Cohort.framework))).all()
    counts: dict[int, Counter] = defaultdict(Counter)
    for cohort_id, role, status, number in db.session.execute(
            select(CohortMembership.cohort_id, CohortMembership.role, CohortMembership.status,
                   func.count()).group_by(CohortMembership.cohort_id, CohortMembership.role,
                                          CohortMembership.status)):
        counts[cohort_id][(role, status)] = number
    return [(year, [CohortSummary(c, counts[c.id]) for c in year.cohorts]) for year in years]


@dataclass
class CohortPage:
    cohort: Cohort
    developers: list[CohortMembership]
    candidates_by_status: list[tuple[str, list[CohortMembership]]]
    peer_groups: list[PeerGroup]
    assigned: dict[int, list[CohortMembership]]  # developer user id -> their candidates

    @property
    def places_taken(self) -> int:
        return sum(len(group) for status, group in self.candidates_by_status
                   if status != MembershipStatus.WITHDRAWN)


def cohort_page(cohort: Cohort) -> CohortPage:
    """Members by role and status, peer groups and assignments (a fixed number of statements)."""
    db.session.scalar(select(Cohort).where(Cohort.id == cohort.id).options(
        selectinload(Cohort.year), selectinload(Cohort.pathway),
        selectinload(Cohort.framework)))
    memberships = db.session.scalars(
        select(CohortMembership).join(User, User.id == CohortMembership.user_id)
        .where(CohortMembership.cohort_id == cohort.id)
        .order_by(func.lower(User.display_name), CohortMembership.id)
        .options(selectinload(CohortMembership.user),
                 selectinload(CohortMembership.coach_developer),
                 selectinload(CohortMembership.specialisms),
                 selectinload(CohortMembership.peer_group_link)
                 .selectinload(PeerGroupMember.peer_group))).all()
    groups = db.session.scalars(
        select(PeerGroup).where(PeerGroup.cohort_id == cohort.id).order_by(PeerGroup.name)
        .options(selectinload(PeerGroup.members))).all()
    developers = [m for m in memberships if m.is_developer]
    candidates = [m for m in memberships if m.is_candidate]
    by_status = [(status, [m for m in candidates if m.status == status])
                 for status in STATUS_ORDER]
    assigned: dict[int, list[CohortMembership]] = defaultdict(list)
    for membership in candidates:
        if membership.coach_developer_id and membership.status != MembershipStatus.WITHDRAWN:
            assigned[membership.coach_developer_id].append(membership)
    return CohortPage(cohort, developers, [(s, g) for s, g in by_status if g], list(groups),
                      assigned)


def group_members(page: CohortPage) -> dict[int, list[CohortMembership]]:
    """Peer group id -> its members, from memberships already loaded for the page."""
    by_id = {m.id: m for _status, group in page.candidates_by_status for m in group}
    return {group.id: sorted((by_id[link.membership_id] for link in group.members
                              if link.membership_id in by_id),
                             key=lambda m: m.user.display_name.lower())
            for group in page.peer_groups}


def my_memberships(user_id: int) -> list[CohortMembership]:
    return list(db.session.scalars(
        select(CohortMembership).join(Cohort, Cohort.id == CohortMembership.cohort_id)
        .join(ProgrammeYear, ProgrammeYear.id == Cohort.year_id)
        .where(CohortMembership.user_id == user_id,
               CohortMembership.status != MembershipStatus.WITHDRAWN)
        .order_by(ProgrammeYear.starts_on.desc(), Cohort.name)
        .options(selectinload(CohortMembership.cohort).selectinload(Cohort.year))))


def published_frameworks() -> list[Framework]:
    return list(db.session.scalars(select(Framework)
                                   .where(Framework.status == FrameworkStatus.PUBLISHED)
                                   .order_by(Framework.name, Framework.version.desc())))


def pathway_choices(keep_id: int | None = None) -> list[tuple[int, str]]:
    rows = db.session.scalars(select(Pathway).order_by(Pathway.position, Pathway.name))
    return [(p.id, p.name) for p in rows if p.active or p.id == keep_id]


def specialism_choices(keep_ids=()) -> list[tuple[int, str]]:
    rows = db.session.scalars(select(Specialism).order_by(Specialism.position, Specialism.name))
    return [(s.id, s.name) for s in rows if s.active or s.id in set(keep_ids)]


def reference_lists() -> dict[str, list]:
    return {
        "pathways": list(db.session.scalars(select(Pathway).order_by(Pathway.position,
                                                                     Pathway.name))),
        "specialisms": list(db.session.scalars(select(Specialism).order_by(
            Specialism.position, Specialism.name))),
    }


def latest_year() -> ProgrammeYear | None:
    return db.session.scalar(select(ProgrammeYear).order_by(ProgrammeYear.starts_on.desc())
                             .limit(1))
