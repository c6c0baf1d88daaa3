"""The sign-off log as exports show it: every decision with its version number and content hash.

An entry's title appears only when the person exporting may read that entry; otherwise the
record still shows (sign-offs are facts about competencies) without saying what the entry is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..auth.models import User
from ..entries.models import Entry, EntryVersion, PrivacyTier
from ..entries.permissions import visible_entries_filter
from ..extensions import db
from ..programmes.access import carried_into
from ..reviews.models import DECISIONS, Decision, Signoff, SignoffRevocation, SignoffRole

ROLE_LABELS = {SignoffRole.COACH_DEVELOPER: "Coach developer", SignoffRole.PEER: "Peer"}
HIDDEN_ENTRY = "An entry not shared with you"


@dataclass
class SignoffRecord:
    id: int
    created_at: datetime
    candidate_id: int
    candidate_name: str
    competency_code: str
    competency_title: str
    role: str
    decision: str
    reviewer_name: str
    entry_id: int
    entry_title: str | None
    version_number: int
    content_hash: str
    revoked_at: datetime | None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def decision_label(self) -> str:
        return DECISIONS.get(self.decision, self.decision)

    @property
    def entry_label(self) -> str:
        return self.entry_title if self.entry_title is not None else HIDDEN_ENTRY

    @property
    def is_valid(self) -> bool:
        return self.decision == Decision.SIGNED_OFF and self.revoked_at is None

    def as_manifest(self) -> dict:
        """A plain record for manifest.json (no feedback or reflection text)."""
        return {
            "id": self.id, "date": self.created_at.isoformat(),
            "candidate": self.candidate_name, "competency": self.competency_code,
            "role": self.role, "decision": self.decision, "reviewer": self.reviewer_name,
            "entry_id": self.entry_id if self.entry_title is not None else None,
            "version_number": self.version_number, "content_hash": self.content_hash,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


def signoff_log(candidate_ids: list[int], viewer, titles: dict[str, str],
                include_private: bool = False, cohort=None) -> list[SignoffRecord]:
    """Every sign-off decision for these candidates, oldest first (two statements).

    For a cohort's report, only what that cohort holds: its own sign-offs and those carried
    in from earlier years, never a later cohort's."""
    if not candidate_ids:
        return []
    candidate, reviewer = aliased(User), aliased(User)
    # Plain columns, not Signoff objects: a large cohort's log has thousands of rows.
    statement = (
        select(Signoff.id, Signoff.created_at, Signoff.candidate_id, candidate.display_name,
               Signoff.competency_code, Signoff.role, Signoff.decision, reviewer.display_name,
               Signoff.entry_id, EntryVersion.title, Signoff.version_number,
               Signoff.content_hash, SignoffRevocation.created_at)
        .join(candidate, candidate.id == Signoff.candidate_id)
        .join(reviewer, reviewer.id == Signoff.reviewer_id)
        .join(EntryVersion, EntryVersion.id == Signoff.entry_version_id)
        .outerjoin(SignoffRevocation, SignoffRevocation.signoff_id == Signoff.id)
        .where(Signoff.candidate_id.in_(candidate_ids))
        .order_by(Signoff.created_at, Signoff.id))
    if cohort is not None:
        statement = statement.join(Entry, Entry.id == Signoff.entry_id).where(
            carried_into(Entry.cohort_id, cohort))
    rows = db.session.execute(statement).all()
    readable = readable_entry_ids({row.entry_id for row in rows}, viewer, include_private)
    return [
        SignoffRecord(
            id=id_, created_at=created_at, candidate_id=candidate_id,
            candidate_name=candidate_name, competency_code=code,
            competency_title=titles.get(code, ""), role=role, decision=decision,
            reviewer_name=reviewer_name, entry_id=entry_id,
            entry_title=(version_title or "Untitled entry") if entry_id in readable else None,
            version_number=version_number, content_hash=content_hash, revoked_at=revoked_at)
        for (id_, created_at, candidate_id, candidate_name, code, role, decision, reviewer_name,
             entry_id, version_title, version_number, content_hash, revoked_at) in rows
    ]


def readable_entry_ids(entry_ids: set[int], viewer, include_private: bool = False) -> set[int]:
    """The subset of entries the viewer may read (never 'Only me' unless asked for the owner)."""
    if not entry_ids:
        return set()
    statement = select(Entry.id).where(Entry.id.in_(entry_ids), visible_entries_filter(viewer))
    if not include_private:
        statement = statement.where(Entry.privacy != PrivacyTier.PRIVATE)
    return set(db.session.scalars(statement))
