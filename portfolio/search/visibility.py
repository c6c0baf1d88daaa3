"""Who may read which search rows, as SQL that is part of the search query itself.

Each kind reuses the rule its pages use: entries and comments `visible_entries_filter` on the
entry (a comment is read with its entry, and never once removed), evidence
`visible_evidence_filter`, goals and the philosophy their owner's privacy tier read through
relations in the owner's current cohorts (the SQL twin of `owned_visibility`), observations
`visible_observations_filter` (their candidate, observer, the cohort's coach developers, the
peer group once shared; never a lead by role alone). Rows are
filtered before they are counted, ranked or cut into snippets, so nothing about a row the
viewer may not read (its text, its existence, the number of such rows) reaches the page.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import and_, exists, false, or_, select
from sqlalchemy.orm import aliased

from ..access import is_manager
from ..entries.models import Entry, Goal, PhilosophyStatement, PrivacyTier
from ..entries.permissions import visible_entries_filter
from ..evidence.models import Evidence
from ..evidence.permissions import visible_evidence_filter
from ..extensions import db
from ..observations.models import Observation
from ..observations.queries import visible_observations_filter
from ..programmes.access import RUNNING_YEAR_STATUSES
from ..programmes.models import (
    Cohort,
    CohortMembership,
    MemberRole,
    MembershipStatus,
    PeerGroupMember,
    ProgrammeYear,
)
from ..reviews.models import Comment
from .models import DocumentKind
from .models import SearchDocument as Doc


@cache
def _aliases() -> tuple:
    """(mine, theirs, my_link, their_link), made once per process: an alias proxies every
    column the first time each is used, milliseconds per statement when made per call (it was
    most of a search's time). Made on first use, not at import: making one configures the
    mappers."""
    return (aliased(CohortMembership, name="mine"), aliased(CohortMembership, name="theirs"),
            aliased(PeerGroupMember, name="my_link"),
            aliased(PeerGroupMember, name="their_link"))


def readable_documents(user):
    """SQL: the search row is one `user` may read."""
    if user is None or not user.is_authenticated:
        return false()
    entry_visible = exists().where(Entry.id == Doc.entry_id, visible_entries_filter(user))
    rules = or_(
        and_(Doc.kind == DocumentKind.ENTRY, entry_visible),
        and_(Doc.kind == DocumentKind.COMMENT, entry_visible, exists().where(
            Comment.id == Doc.ref_id, Comment.entry_id == Doc.entry_id,
            Comment.removed_at.is_(None))),
        and_(Doc.kind == DocumentKind.EVIDENCE, exists().where(
            Evidence.id == Doc.ref_id, Evidence.owner_id == Doc.owner_id,
            Evidence.deleted_at.is_(None), visible_evidence_filter(user))),
        and_(Doc.kind == DocumentKind.GOAL, exists().where(
            Goal.id == Doc.ref_id, Goal.owner_id == Doc.owner_id,
            owned_filter(user, Goal.owner_id, Goal.privacy))),
        and_(Doc.kind == DocumentKind.PHILOSOPHY, exists().where(
            PhilosophyStatement.id == Doc.ref_id, PhilosophyStatement.owner_id == Doc.owner_id,
            owned_filter(user, PhilosophyStatement.owner_id, PhilosophyStatement.privacy))),
        and_(Doc.kind == DocumentKind.OBSERVATION, exists().where(
            Observation.id == Doc.ref_id, Observation.candidate_id == Doc.owner_id,
            visible_observations_filter(user))),
    )
    if is_manager(user):
        return rules
    # A cheap first cut, checked before the rules: apart from managers, people read only
    # their own things and those of people they share (or shared) a cohort with.
    return and_(or_(Doc.owner_id == user.id, Doc.owner_id.in_(_cohort_mates(user.id))), rules)


def reachable_owner_ids(user) -> list[int] | None:
    """The people whose rows `user` could read at all, or None for managers (anyone's).

    A cheap superset, never the rule itself: the search uses it to narrow the full-text match
    before `readable_documents` decides each row."""
    if is_manager(user):
        return None
    mates = set(db.session.scalars(_cohort_mates(user.id)))
    return sorted(mates | {user.id})


def _cohort_mates(user_id: int):
    mine = _aliases()[0]
    return (select(CohortMembership.user_id).distinct()
            .join(mine, and_(mine.cohort_id == CohortMembership.cohort_id,
                             mine.user_id == user_id)))


def owned_filter(user, owner_column, privacy_column):
    """SQL twin of `entries.authoring.owned_visibility`: the owner, or a viewer whose relation
    in one of the owner's current cohorts the tier admits (managers: any shared tier)."""
    shared = privacy_column != PrivacyTier.PRIVATE
    if is_manager(user):
        return or_(owner_column == user.id, shared)
    return or_(
        owner_column == user.id,
        and_(shared, or_(
            and_(privacy_column.in_((PrivacyTier.DEVELOPERS, PrivacyTier.PEERS,
                                           PrivacyTier.COHORT)),
                 owner_column.in_(_current_candidates(user.id, "developer"))),
            and_(privacy_column.in_((PrivacyTier.PEERS, PrivacyTier.COHORT)),
                 owner_column.in_(_current_candidates(user.id, "peer"))),
            and_(privacy_column == PrivacyTier.COHORT,
                 owner_column.in_(_current_candidates(user.id, "cohort"))),
        )))


def _current_candidates(viewer_id: int, relation: str):
    """Candidates the viewer relates to in a current cohort (running year, both active)."""
    mine, theirs, _, _ = _aliases()
    statement = (
        select(theirs.user_id)
        .join(mine, and_(mine.cohort_id == theirs.cohort_id, mine.user_id == viewer_id,
                         mine.status == MembershipStatus.ACTIVE))
        .join(Cohort, Cohort.id == theirs.cohort_id)
        .join(ProgrammeYear, ProgrammeYear.id == Cohort.year_id)
        .where(theirs.role == MemberRole.CANDIDATE, theirs.status == MembershipStatus.ACTIVE,
               ProgrammeYear.status.in_(RUNNING_YEAR_STATUSES)))
    if relation == "developer":
        return statement.where(mine.role == MemberRole.COACH_DEVELOPER)
    statement = statement.where(mine.role == MemberRole.CANDIDATE)
    if relation == "cohort":
        return statement
    _, _, my_link, their_link = _aliases()
    return (statement.join(their_link, their_link.membership_id == theirs.id)
            .join(my_link, and_(my_link.membership_id == mine.id,
                                my_link.peer_group_id == their_link.peer_group_id)))


