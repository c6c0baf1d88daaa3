"""Helpers shared by the review services: writability, entry status, links, dates."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ...database import lock_for_decision, utcnow
from ...entries.models import Entry, EntryVersion
from ...entries.services import mark_review_status
from ...extensions import db
from ...programmes.access import (
    assert_candidate_writable,
    assert_cohort_writable,
    current_memberships,
    membership_in,
)
from ...programmes.models import CohortMembership, MemberRole
from ...timeutil import local
from ..queries import entry_review_states

MAX_TEXT = 10_000


def local_today() -> date:
    """Today's date in the programme's time zone (due dates are UK calendar days)."""
    return local(utcnow()).date()


def clean_text(value: str | None, limit: int = MAX_TEXT) -> str:
    return (value or "").replace("\r\n", "\n").replace("\x00", "").strip()[:limit]


def author_membership(entry: Entry) -> CohortMembership | None:
    """The author's candidate membership the entry belongs to (its cohort, else their latest)."""
    if entry.cohort_id is not None:
        membership = membership_in(entry.cohort_id, entry.owner_id)
        if membership is not None and membership.is_candidate:
            return membership
    memberships = current_memberships(entry.owner_id, role=MemberRole.CANDIDATE)
    return memberships[0] if memberships else None


def assert_entry_writable(entry: Entry) -> None:
    """Archived years and withdrawn candidates are read-only for everyone."""
    if entry.cohort is not None:
        assert_cohort_writable(entry.cohort)
    assert_candidate_writable(author_membership(entry))


def latest_version(entry: Entry) -> EntryVersion | None:
    if not entry.latest_version_number:
        return None
    return db.session.scalar(select(EntryVersion).where(
        EntryVersion.entry_id == entry.id, EntryVersion.number == entry.latest_version_number))


def entry_review_status(entry: Entry) -> str:
    """The entry's review state as the entries feature stores it (see reviews/status.py)."""
    return entry_review_states([entry.id])[entry.id].stored


def update_entry_review_status(entry: Entry, actor) -> None:
    """Tell the entries feature the entry's review status (it owns that column).

    The entry row is locked before the status is worked out: two reviews of one entry landing
    at once (a sign-off and a return, two peers) then take turns, and the second reads what the
    first committed, so the stored status is never one worked out without the other."""
    lock_for_decision(entry)
    mark_review_status(entry, entry_review_status(entry), actor)
