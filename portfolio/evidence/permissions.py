"""Who may see and change evidence.

An evidence item is authorised against its OWN portfolio: apart from its owner, a person may
open it only if they may read an entry of the same owner whose latest saved version lists it.
An entry that points at somebody else's evidence therefore grants nothing, and every channel
(page, file, thumbnail, entry panel) asks the same question here.
"""

from __future__ import annotations

from sqlalchemy import Integer, String, and_, cast, exists, false, func, literal_column, or_, select
from sqlalchemy.dialects.postgresql import JSONB

from ..consent.models import consent_allows
from ..database import is_postgres
from ..entries.models import Entry, EntryVersion
from ..entries.permissions import visible_entries_filter
from ..extensions import db
from ..programmes.access import (
    current_memberships,
    developed_memberships_query,
    peer_group_memberships_query,
    related_in_cohort,
)
from ..programmes.models import (
    Cohort,
    CohortMembership,
    MemberRole,
    MembershipStatus,
    ProgrammeYear,
    YearStatus,
)
from .models import Evidence


def is_owner(user, evidence: Evidence) -> bool:
    return bool(user and user.is_authenticated and evidence.owner_id == user.id)


def can_view_evidence(user, evidence: Evidence) -> bool:
    """The owner, or anyone who may read a latest saved version (of the owner's) listing it."""
    if user is None or not user.is_authenticated:
        return False
    if is_owner(user, evidence):
        return True
    shared = _shared_through_entry(user, evidence.id, evidence.owner_id)
    return bool(db.session.scalar(select(shared)))


def can_manage_evidence(user, evidence: Evidence) -> bool:
    """Owners change their own evidence while they are a candidate who may still write."""
    return is_owner(user, evidence) and can_upload_evidence(user)


def can_upload_evidence(user) -> bool:
    """Candidates (not withdrawn) in a cohort whose programme year is not archived."""
    if user is None or not user.is_authenticated:
        return False
    writable = (select(CohortMembership.id)
                .join(Cohort, Cohort.id == CohortMembership.cohort_id)
                .join(ProgrammeYear, ProgrammeYear.id == Cohort.year_id)
                .where(*_candidate(user.id), ProgrammeYear.status != YearStatus.ARCHIVED))
    return bool(db.session.scalar(select(writable.exists())))


def is_candidate(user) -> bool:
    """Anyone with a current candidate membership, even in an archived (read-only) year."""
    if user is None or not user.is_authenticated:
        return False
    return bool(current_memberships(user.id, MemberRole.CANDIDATE))


def can_use_library(user) -> bool:
    """Candidates, and former candidates who still own evidence."""
    if is_candidate(user):
        return True
    return bool(user and user.is_authenticated and db.session.scalar(
        select(exists().where(Evidence.owner_id == user.id))))


def _candidate(user_id: int):
    return (CohortMembership.user_id == user_id, CohortMembership.role == MemberRole.CANDIDATE,
            CohortMembership.status != MembershipStatus.WITHDRAWN)


def visible_evidence_filter(user):
    """A WHERE clause selecting exactly the evidence `can_view_evidence` allows."""
    if user is None or not user.is_authenticated:
        return false()
    return or_(Evidence.owner_id == user.id,
               _shared_through_entry(user, Evidence.id, Evidence.owner_id))


def _shared_through_entry(user, evidence_id, owner_id):
    """EXISTS an entry of `owner_id` the user may read whose latest version lists the id."""
    latest = and_(EntryVersion.entry_id == Entry.id,
                  EntryVersion.number == Entry.latest_version_number)
    return exists(
        select(EntryVersion.id).join(Entry, latest).where(
            Entry.owner_id == owner_id,
            visible_entries_filter(user),
            version_lists_evidence(evidence_id),
            # Evidence showing under-18s stays with the entry's cohort (portfolio/consent).
            consent_allows(evidence_id, developer=related_in_cohort(
                Entry.cohort_id, Entry.owner_id, developed_memberships_query(user.id)),
                peer=related_in_cohort(Entry.cohort_id, Entry.owner_id,
                                       peer_group_memberships_query(user.id))),
        )
    )


def version_lists_evidence(evidence_id):
    """SQL: EntryVersion.content["evidence_ids"] contains `evidence_id` (a value or a column)."""
    if is_postgres():
        listed = cast(EntryVersion.content, JSONB)["evidence_ids"]
        return or_(listed.contains(func.to_jsonb(evidence_id)),
                   listed.contains(func.to_jsonb(cast(evidence_id, String))))
    members = func.json_each(EntryVersion.content, "$.evidence_ids").table_valued("value")
    # Explicit correlation: the id may come from a query two levels up (visible_evidence_filter).
    return exists(select(literal_column("1")).select_from(members).where(
        cast(members.c.value, Integer) == evidence_id).correlate_except(members))
