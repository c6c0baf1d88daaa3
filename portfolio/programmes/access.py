"""Who stands in what relation to whom: the membership facts every permission builds on.

A relation between a viewer and a candidate always lives inside one cohort:
  "manager"   the viewer is a programme lead or admin (any cohort, or none);
  "developer" the viewer is a coach developer in the cohort where the candidate is a candidate;
  "peer"      both are candidates in the same peer group of that cohort;
  "cohort"    both are candidates in that cohort.
An entry is read through relations inside the entry's own cohort only (`relations_to`), so
having shared some other cohort (last year's, a pilot) grants nothing. Withdrawn memberships
count for nothing, so removing someone takes effect on their next request.

Goals and the coaching philosophy have no cohort: they are read through relations inside the
owner's *current* cohorts (`current_relations_to`): cohorts of a programme year that is still
running (planning or active, not closed or archived) where both the owner's candidate membership
and the viewer's membership are active (not invited, deferred, completed or withdrawn).
"""

from __future__ import annotations

from functools import cache

from flask import g, has_request_context
from sqlalchemy import and_, event, or_, select, tuple_
from sqlalchemy.orm import Session, aliased, joinedload

from ..access import is_manager
from ..errors import ReadOnlyError
from ..extensions import db
from .models import (
    Cohort,
    CohortMembership,
    MemberRole,
    MembershipStatus,
    PeerGroupMember,
    ProgrammeYear,
    YearStatus,
)

ACTIVE = CohortMembership.status != MembershipStatus.WITHDRAWN
# Programme years whose cohorts still share a person's goals and philosophy.
RUNNING_YEAR_STATUSES = (YearStatus.PLANNING, YearStatus.ACTIVE)


def developer_cohort_ids_query(user_id: int):
    return select(CohortMembership.cohort_id).where(
        CohortMembership.user_id == user_id,
        CohortMembership.role == MemberRole.COACH_DEVELOPER, ACTIVE)


def candidate_cohort_ids_query(user_id: int):
    return select(CohortMembership.cohort_id).where(
        CohortMembership.user_id == user_id, CohortMembership.role == MemberRole.CANDIDATE,
        ACTIVE)


def developed_memberships_query(user_id: int):
    """(cohort id, candidate id) of candidates in cohorts where `user_id` is a coach developer."""
    return select(CohortMembership.cohort_id, CohortMembership.user_id).where(
        CohortMembership.role == MemberRole.CANDIDATE, ACTIVE,
        CohortMembership.cohort_id.in_(developer_cohort_ids_query(user_id)))


def cohort_peer_memberships_query(user_id: int):
    """(cohort id, candidate id) of candidates in cohorts where `user_id` is a candidate."""
    return select(CohortMembership.cohort_id, CohortMembership.user_id).where(
        CohortMembership.role == MemberRole.CANDIDATE, ACTIVE,
        CohortMembership.cohort_id.in_(candidate_cohort_ids_query(user_id)))


@cache
def _aliases() -> tuple:
    """(mine, my_link, theirs, their_link), made once per process: an alias proxies every
    column the first time each is used, which cost about 10 ms per statement when they were
    made per call. Made on first use, not at import: making one configures the mappers."""
    return (aliased(CohortMembership, name="mine"), aliased(PeerGroupMember, name="my_link"),
            aliased(CohortMembership, name="theirs"),
            aliased(PeerGroupMember, name="their_link"))


def peer_group_memberships_query(user_id: int):
    """(cohort id, candidate id) of candidates sharing a peer group with `user_id`."""
    mine, my_link, theirs, their_link = _aliases()
    return (
        select(theirs.cohort_id, theirs.user_id)
        .join(their_link, their_link.membership_id == theirs.id)
        .join(my_link, my_link.peer_group_id == their_link.peer_group_id)
        .join(mine, and_(mine.id == my_link.membership_id, mine.user_id == user_id,
                         mine.status != MembershipStatus.WITHDRAWN))
        .where(theirs.status != MembershipStatus.WITHDRAWN)
    )


def related_in_cohort(cohort_id_column, owner_id_column, memberships_query):
    """SQL: the (cohort, owner) pair of a row is among the pairs `memberships_query` yields."""
    return tuple_(cohort_id_column, owner_id_column).in_(memberships_query)


def relations_to(viewer, candidate_id: int, cohort_id: int | None) -> set[str]:
    """Every relation the viewer has to the candidate inside one cohort (see module docstring).

    With no cohort (an entry written outside any cohort) only a manager relates."""
    if viewer is None or not viewer.is_authenticated:
        return set()
    relations = {"manager"} if is_manager(viewer) else set()
    if cohort_id is not None:
        relations |= _relations(viewer.id, candidate_id, cohort_id=cohort_id)
    return relations


def current_relations_to(viewer, candidate_id: int) -> set[str]:
    """The relations that admit a viewer to a person's goals and philosophy: those inside the
    candidate's current cohorts, where the viewer is a current member too."""
    if viewer is None or not viewer.is_authenticated:
        return set()
    relations = {"manager"} if is_manager(viewer) else set()
    return relations | _relations(viewer.id, candidate_id, current=True)


def _relations(viewer_id: int, candidate_id: int, *, cohort_id: int | None = None,
               current: bool = False) -> set[str]:
    """One query over the cohorts both belong to: the viewer's role and both peer groups."""
    mine, my_link, theirs, their_link = _aliases()
    statement = (
        select(mine.role, their_link.peer_group_id, my_link.peer_group_id)
        .select_from(theirs)
        .join(mine, and_(mine.cohort_id == theirs.cohort_id, mine.user_id == viewer_id))
        .outerjoin(their_link, their_link.membership_id == theirs.id)
        .outerjoin(my_link, my_link.membership_id == mine.id)
        .where(theirs.user_id == candidate_id, theirs.role == MemberRole.CANDIDATE))
    if cohort_id is not None:
        statement = statement.where(theirs.cohort_id == cohort_id)
    if current:
        statement = (statement.join(Cohort, Cohort.id == theirs.cohort_id)
                     .join(ProgrammeYear, ProgrammeYear.id == Cohort.year_id)
                     .where(theirs.status == MembershipStatus.ACTIVE,
                            mine.status == MembershipStatus.ACTIVE,
                            ProgrammeYear.status.in_(RUNNING_YEAR_STATUSES)))
    else:
        statement = statement.where(theirs.status != MembershipStatus.WITHDRAWN,
                                    mine.status != MembershipStatus.WITHDRAWN)
    relations = set()
    for role, their_group, my_group in db.session.execute(statement):
        relations.add("developer" if role == MemberRole.COACH_DEVELOPER else "cohort")
        if role == MemberRole.CANDIDATE and their_group is not None and their_group == my_group:
            relations.add("peer")
    return relations


def carried_into(cohort_id_column, cohort):
    """SQL: the cohort in `cohort_id_column` is `cohort` itself, a cohort of an earlier
    programme year, or none. Sign-offs made there are what `cohort` carries as records; a later
    year's sign-offs are not the earlier cohort's to see."""
    earlier = (select(Cohort.id).join(ProgrammeYear, ProgrammeYear.id == Cohort.year_id)
               .where(ProgrammeYear.starts_on < cohort.year.starts_on))
    return or_(cohort_id_column == cohort.id, cohort_id_column.is_(None),
               cohort_id_column.in_(earlier))


def membership_in(cohort_id: int, user_id: int) -> CohortMembership | None:
    """The person's membership of one cohort, whatever its status."""
    return next((item for item in _memberships_of(user_id) if item.cohort_id == cohort_id), None)


def current_membership_in(cohort_id: int, user_id: int) -> CohortMembership | None:
    """The person's not-withdrawn membership of one cohort, from the request's facts."""
    return next((item for item in current_memberships(user_id) if item.cohort_id == cohort_id),
                None)


def current_memberships(user_id: int, role: str | None = None) -> list[CohortMembership]:
    """A person's memberships that count for access (not withdrawn), newest first."""
    return [item for item in _memberships_of(user_id)
            if item.is_current and (role is None or item.role == role)]


def _memberships_of(user_id: int) -> list[CohortMembership]:
    """Every membership of a person, newest first, with its cohort and year.

    Read once per request per person: the navigation, the permission checks and the page
    itself all ask, and they must all get the same answer. A flush that changes any
    membership, cohort or year forgets the answer, so a request that writes one reads its own
    write; outside a request nothing is kept."""
    memo = _request_memo("memberships")
    if user_id not in memo:
        memo[user_id] = list(db.session.scalars(
            select(CohortMembership).where(CohortMembership.user_id == user_id)
            .options(joinedload(CohortMembership.cohort).joinedload(Cohort.year))
            .order_by(CohortMembership.id.desc())))
    return memo[user_id]


def remember_memberships(user_id: int, memberships: list[CohortMembership]) -> None:
    """Keep a person's memberships (every one, newest first, cohort and year loaded) read by
    another statement, such as the one that loads the signed-in person."""
    _request_memo("memberships")[user_id] = memberships


def _request_memo(kind: str) -> dict:
    """This request's membership facts of one kind; a throwaway dict outside a request."""
    if not has_request_context():
        return {}
    return g.setdefault("membership_facts", {}).setdefault(kind, {})


@event.listens_for(Session, "after_flush")
def _forget_memberships(session, _context) -> None:
    if has_request_context() and "membership_facts" in g and any(
            isinstance(item, CohortMembership | Cohort | ProgrammeYear)
            for item in (*session.new, *session.dirty, *session.deleted)):
        g.pop("membership_facts", None)


@event.listens_for(Session, "do_orm_execute")
def _forget_memberships_on_bulk_write(orm_execute_state) -> None:
    """`update(...)`/`delete(...)` statements bypass the flush: forget on any of them."""
    if (orm_execute_state.is_update or orm_execute_state.is_delete) and has_request_context():
        g.pop("membership_facts", None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_memberships_on_rollback(_session, _previous_transaction) -> None:
    """A rolled-back write may have been read already: ask the database again."""
    if has_request_context():
        g.pop("membership_facts", None)


def can_see_cohort(user, cohort) -> bool:
    """Managers see every cohort; members (not withdrawn) see their own."""
    if is_manager(user):
        return True
    return current_membership_in(cohort.id, user.id) is not None


def is_developer_in(user, cohort_id: int) -> bool:
    membership = current_membership_in(cohort_id, user.id)
    return bool(membership and membership.is_developer)


def assert_cohort_writable(cohort) -> None:
    """Refuse any change inside an archived programme year."""
    if cohort is not None and cohort.year.is_archived:
        raise ReadOnlyError(f"The {cohort.year.label} programme year is archived, so "
                            "nothing in it can be changed.")


def assert_candidate_writable(membership) -> None:
    """Refuse changes for a withdrawn candidate and in archived years."""
    if membership is None:
        return
    assert_cohort_writable(membership.cohort)
    if membership.status == MembershipStatus.WITHDRAWN:
        raise ReadOnlyError("This candidate has withdrawn from the cohort, so their portfolio "
                            "is read-only.")
