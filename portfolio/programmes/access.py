"""Who stands in what relation to whom: the membership facts every permission builds on.

A relation between a viewer and a candidate is one of:
  "manager"   the viewer is a programme lead or admin;
  "developer" the viewer is a coach developer in a cohort where the candidate is a candidate;
  "peer"      both are candidates in the same peer group;
  "cohort"    both are candidates in the same cohort.
Withdrawn memberships count for nothing, so removing someone takes effect on their next request.
"""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import aliased

from ..access import is_manager
from ..extensions import db
from .models import CohortMembership, PeerGroupMember

ACTIVE = CohortMembership.status != "withdrawn"


def developer_cohort_ids_query(user_id: int):
    return select(CohortMembership.cohort_id).where(
        CohortMembership.user_id == user_id, CohortMembership.role == "coach_developer", ACTIVE)


def candidate_cohort_ids_query(user_id: int):
    return select(CohortMembership.cohort_id).where(
        CohortMembership.user_id == user_id, CohortMembership.role == "candidate", ACTIVE)


def developed_candidates_query(user_id: int):
    """Candidates (user ids) in cohorts where `user_id` is a coach developer."""
    return select(CohortMembership.user_id).where(
        CohortMembership.role == "candidate", ACTIVE,
        CohortMembership.cohort_id.in_(developer_cohort_ids_query(user_id)))


def cohort_peers_query(user_id: int):
    """Candidates sharing a cohort with `user_id` (as a candidate)."""
    return select(CohortMembership.user_id).where(
        CohortMembership.role == "candidate", ACTIVE,
        CohortMembership.cohort_id.in_(candidate_cohort_ids_query(user_id)))


def peer_group_peers_query(user_id: int):
    """Candidates sharing a peer group with `user_id`."""
    mine = aliased(CohortMembership)
    my_link = aliased(PeerGroupMember)
    theirs = aliased(CohortMembership)
    their_link = aliased(PeerGroupMember)
    return (
        select(theirs.user_id)
        .join(their_link, their_link.membership_id == theirs.id)
        .join(my_link, my_link.peer_group_id == their_link.peer_group_id)
        .join(mine, and_(mine.id == my_link.membership_id, mine.user_id == user_id,
                         mine.status != "withdrawn"))
        .where(theirs.status != "withdrawn")
    )


def relations_to(viewer, candidate_id: int) -> set[str]:
    """Every relation the viewer has to the candidate (see module docstring)."""
    if viewer is None or not viewer.is_authenticated:
        return set()
    relations = set()
    if is_manager(viewer):
        relations.add("manager")
    checks = (
        ("developer", developed_candidates_query(viewer.id)),
        ("peer", peer_group_peers_query(viewer.id)),
        ("cohort", cohort_peers_query(viewer.id)),
    )
    for name, members in checks:
        found = _contains(members, candidate_id)
        if found:
            relations.add(name)
    return relations


def _contains(members_query, user_id: int) -> bool:
    subquery = members_query.subquery()
    column = next(iter(subquery.c))
    return db.session.scalar(select(column).where(column == user_id).limit(1)) is not None


def membership_in(cohort_id: int, user_id: int) -> CohortMembership | None:
    return db.session.scalar(select(CohortMembership).where(
        CohortMembership.cohort_id == cohort_id, CohortMembership.user_id == user_id))


def current_memberships(user_id: int, role: str | None = None) -> list[CohortMembership]:
    statement = select(CohortMembership).where(CohortMembership.user_id == user_id, ACTIVE)
    if role:
        statement = statement.where(CohortMembership.role == role)
    return list(db.session.scalars(statement.order_by(CohortMembership.id.desc())))


def can_see_cohort(user, cohort) -> bool:
    """Managers see every cohort; members (not withdrawn) see their own."""
    if is_manager(user):
        return True
    membership = membership_in(cohort.id, user.id)
    return membership is not None and membership.is_current


def is_developer_in(user, cohort_id: int) -> bool:
    membership = membership_in(cohort_id, user.id)
    return bool(membership and membership.is_developer and membership.is_current)


def assert_cohort_writable(cohort) -> None:
    """Refuse any change inside an archived programme year."""
    from ..errors import ReadOnlyError

    if cohort is not None and cohort.year.is_archived:
        raise ReadOnlyError(f"The {cohort.year.label} programme year is archived, so "
                            "nothing in it can be changed.")


def assert_candidate_writable(membership) -> None:
    """Refuse changes for a withdrawn candidate and in archived years."""
    from ..errors import ReadOnlyError

    if membership is None:
        return
    assert_cohort_writable(membership.cohort)
    if membership.status == "withdrawn":
        raise ReadOnlyError("This candidate has withdrawn from the cohort, so their portfolio "
                            "is read-only.")
