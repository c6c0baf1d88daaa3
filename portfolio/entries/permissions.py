"""Who may read and change entries. Every channel (pages, files, thumbnails, search, autosave,
exports, notifications) asks these predicates or uses `visible_entries_filter`, never its own
rule, so a privacy tier means the same thing everywhere.

An entry is read through relations inside the cohort it belongs to (`Entry.cohort_id`), never
through another cohort the reader and the author once shared; an entry without a cohort is for
its author and managers only."""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import and_, false, or_

from ..access import is_manager
from ..programmes.access import (
    cohort_peer_memberships_query,
    developed_memberships_query,
    membership_in,
    peer_group_memberships_query,
    related_in_cohort,
    relations_to,
)
from ..programmes.models import MembershipStatus
from .models import Entry, EntryStatus, PrivacyTier

# Which relations each privacy tier admits (besides the author).
TIER_AUDIENCE: dict[str, set[str]] = {
    PrivacyTier.PRIVATE: set(),
    PrivacyTier.DEVELOPERS: {"manager", "developer"},
    PrivacyTier.PEERS: {"manager", "developer", "peer"},
    PrivacyTier.COHORT: {"manager", "developer", "peer", "cohort"},
}


def tier_admits(privacy: str, relations: set[str]) -> bool:
    return bool(TIER_AUDIENCE.get(privacy, set()) & relations)


def is_author(user, entry: Entry) -> bool:
    return bool(user and user.is_authenticated and entry.owner_id == user.id)


def can_view_entry(user, entry: Entry) -> bool:
    """Authors see their working copy; others see saved versions their tier admits."""
    if is_author(user, entry):
        return True
    if entry.status != EntryStatus.PUBLISHED or entry.privacy == PrivacyTier.PRIVATE:
        return False
    return tier_admits(entry.privacy, entry_relations(user, entry))


def entry_relations(user, entry: Entry) -> set[str]:
    """The viewer's relations to the author inside the entry's own cohort."""
    return relations_to(user, entry.owner_id, entry.cohort_id)


def can_edit_entry(user, entry: Entry) -> bool:
    return is_author(user, entry) and not is_read_only(entry)


def is_read_only(entry: Entry) -> bool:
    """Entries of an archived programme year, or of a candidate who has withdrawn from the
    entry's cohort, are read-only everywhere."""
    if entry.cohort is None:
        return False
    if entry.cohort.is_read_only:
        return True
    membership = membership_in(entry.cohort_id, entry.owner_id)
    return membership is not None and membership.status == MembershipStatus.WITHDRAWN


def visible_entries_filter(user):
    """A WHERE clause selecting exactly the entries `can_view_entry` allows, for lists/exports.

    Each relation is matched on the entry's own (cohort, owner) pair, so it only counts inside
    the cohort the entry belongs to."""
    if user is None or not user.is_authenticated:
        return false()
    # The clause only names the person's id (every relation is a subquery run with the
    # statement), so one request reuses it: building it costs more than SQLite takes to use it.
    manager = is_manager(user)
    if not has_request_context():
        return _visible_entries_clause(user.id, manager)
    made = g.setdefault("visible_entries_clauses", {})
    if (user.id, manager) not in made:
        made[user.id, manager] = _visible_entries_clause(user.id, manager)
    return made[user.id, manager]


def visible_entries_rule(viewer_id, manager: bool):
    """`visible_entries_filter`'s clause for a viewer id that may be a bind parameter, for
    statements built once per application (`portfolio.database.built_once`)."""
    return _visible_entries_clause(viewer_id, manager)


def _visible_entries_clause(user_id: int, manager: bool):
    shared = and_(Entry.status == EntryStatus.PUBLISHED, Entry.privacy != PrivacyTier.PRIVATE)
    if manager:
        return or_(Entry.owner_id == user_id, shared)

    def related(memberships_query):
        return related_in_cohort(Entry.cohort_id, Entry.owner_id, memberships_query)

    return or_(
        Entry.owner_id == user_id,
        and_(shared, Entry.cohort_id.is_not(None), or_(
            and_(Entry.privacy.in_((PrivacyTier.DEVELOPERS, PrivacyTier.PEERS,
                                    PrivacyTier.COHORT)),
                 related(developed_memberships_query(user_id))),
            and_(Entry.privacy.in_((PrivacyTier.PEERS, PrivacyTier.COHORT)),
                 related(peer_group_memberships_query(user_id))),
            and_(Entry.privacy == PrivacyTier.COHORT,
                 related(cohort_peer_memberships_query(user_id))),
        )),
    )
