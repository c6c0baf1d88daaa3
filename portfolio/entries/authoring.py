"""Who may write a portfolio, and who may read a version, a philosophy statement or a goal.

These predicates build on `permissions.py` (the one privacy rule) and add what it does not
cover: candidates' write access, per-version privacy and the tiers of statements and goals.
Statements and goals belong to the person, not to a cohort, so their tiers count the relations
inside the owner's current cohorts (`current_relations_to`): last year's cohort, or a cohort
the owner deferred or completed, no longer reads them.
"""

from __future__ import annotations

from sqlalchemy import select

from ..access import is_manager
from ..extensions import db
from ..programmes.access import current_memberships, current_relations_to, membership_in
from ..programmes.models import CohortMembership, MemberRole, MembershipStatus
from .models import Entry, EntryStatus, EntryVersion, PrivacyTier
from .permissions import (
    can_view_entry,
    entry_relations,
    is_author,
    is_read_only,
    tier_admits,
    visible_entries_filter,
)


def writing_membership(user) -> CohortMembership | None:
    """The candidate membership new portfolio items belong to: the latest open one."""
    if user is None or not user.is_authenticated:
        return None
    memberships = current_memberships(user.id, role=MemberRole.CANDIDATE)
    open_ones = [item for item in memberships if not item.cohort.is_read_only]
    return (open_ones or memberships or [None])[0]


def is_candidate(user) -> bool:
    return bool(user and user.is_authenticated
                and current_memberships(user.id, MemberRole.CANDIDATE))


def can_write_portfolio(user) -> bool:
    """Candidates in a cohort of a year that is not archived write entries, goals, statements."""
    membership = writing_membership(user)
    return membership is not None and not membership.cohort.is_read_only


def author_membership(entry: Entry) -> CohortMembership | None:
    if entry.cohort_id is None:
        return None
    membership = membership_in(entry.cohort_id, entry.owner_id)
    return membership if membership is not None and membership.is_candidate else None


def entry_is_writable(entry: Entry) -> bool:
    """Archived years and withdrawn authors leave entries read-only, even for the author."""
    if is_read_only(entry):
        return False
    membership = author_membership(entry)
    return membership is None or membership.status != MembershipStatus.WITHDRAWN


def can_edit(user, entry: Entry) -> bool:
    return is_author(user, entry) and entry_is_writable(entry)


def version_privacy(version: EntryVersion) -> str:
    return (version.content or {}).get("privacy", PrivacyTier.PRIVATE)


def can_view_version(user, entry: Entry, version: EntryVersion) -> bool:
    """Readers see a version only if both the entry's tier and the tier it was saved under
    admit them: text once saved as "Only me" never reaches anyone else through the history."""
    return bool(readable_versions(user, entry, [version]))


def readable_versions(user, entry: Entry, versions: list[EntryVersion]) -> list[EntryVersion]:
    """The versions among `versions` the user may read (relations looked up once)."""
    if is_author(user, entry):
        return list(versions)
    if not can_view_entry(user, entry):
        return []
    relations = entry_relations(user, entry)
    return [version for version in versions if tier_admits(version_privacy(version), relations)]


def can_view_owned(user, owner_id: int, privacy: str) -> bool:
    """A philosophy statement or goal: its owner, or whoever its tier admits."""
    return owned_visibility(user, owner_id)(privacy)


def owned_visibility(user, owner_id: int):
    """A test `privacy -> bool` for the owner's statement and goals, for this viewer."""
    if user is None or not user.is_authenticated:
        return lambda privacy: False
    if user.id == owner_id:
        return lambda privacy: True
    relations = current_relations_to(user, owner_id)
    return lambda privacy: privacy != PrivacyTier.PRIVATE and tier_admits(privacy, relations)


def can_view_candidate(user, candidate_id: int) -> bool:
    """The portfolio overview opens for managers, for anyone related to the candidate in one
    of the candidate's current cohorts, and for anyone who may read at least one of their
    entries (last year's coach developer, say, who keeps last year's entries as a record).
    The page then shows each item only as its own rule allows."""
    if user is None or not user.is_authenticated or user.id == candidate_id:
        return False
    if not current_memberships(candidate_id, MemberRole.CANDIDATE):
        return False
    return (is_manager(user) or bool(current_relations_to(user, candidate_id))
            or _reads_an_entry_of(user, candidate_id))


def _reads_an_entry_of(user, owner_id: int) -> bool:
    readable = select(Entry.id).where(Entry.owner_id == owner_id,
                                      Entry.status == EntryStatus.PUBLISHED,
                                      visible_entries_filter(user))
    return bool(db.session.scalar(select(readable.exists())))
