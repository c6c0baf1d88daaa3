"""Read-side queries for evidence pages, each a fixed number of statements."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import joinedload

from ..database import begin_writing, built_once
from ..entries.models import Entry, EntryVersion
from ..extensions import db
from ..reviews.models import ReviewRequest, Signoff
from .models import EntryEvidence, Evidence
from .permissions import version_lists_evidence, visible_evidence_filter


def bytes_used(owner_id: int) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(Evidence.size_bytes), 0)).where(
        Evidence.owner_id == owner_id, Evidence.kind == "file")) or 0


def find_duplicate(owner_id: int, sha256: str) -> Evidence | None:
    return db.session.scalar(select(Evidence).where(
        Evidence.owner_id == owner_id, Evidence.sha256 == sha256, Evidence.kind == "file")
        .order_by(Evidence.id).limit(1))


def hold_for_review(evidence_ids) -> None:
    """Keep these items from being deleted until the commit: a review request or sign-off is
    about to refer to a version listing them, and reviewed evidence is kept. PostgreSQL takes
    a key-share lock on each row, which a deletion (locking the row first, see
    `services.delete_evidence`) waits for, then sees the review; on SQLite the transaction
    takes the database's write lock here, which the deletion waits for in the same way."""
    ids = sorted({int(item) for item in evidence_ids or [] if str(item).isdigit()})
    if ids:
        begin_writing()
        db.session.execute(select(Evidence.id).where(Evidence.id.in_(ids)).order_by(Evidence.id)
                           .with_for_update(read=True, key_share=True))


def library_page(owner_id: int, page: int, per_page: int):
    statement = (select(Evidence).where(Evidence.owner_id == owner_id)
                 .order_by(Evidence.created_at.desc(), Evidence.id.desc()))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def attached_counts(evidence_ids: list[int]) -> dict[int, int]:
    """How many entries' working copies use each evidence item."""
    if not evidence_ids:
        return {}
    rows = db.session.execute(
        select(EntryEvidence.evidence_id, func.count()).where(
            EntryEvidence.evidence_id.in_(evidence_ids)).group_by(EntryEvidence.evidence_id))
    return {evidence_id: count for evidence_id, count in rows}


def entries_using(evidence: Evidence) -> list[Entry]:
    """The owner's entries whose working copy has this evidence attached."""
    return list(db.session.scalars(
        select(Entry).join(EntryEvidence, EntryEvidence.entry_id == Entry.id)
        .where(EntryEvidence.evidence_id == evidence.id, Entry.owner_id == evidence.owner_id)
        .order_by(Entry.practice_date.desc(), Entry.id.desc())))


def reviewed_versions_listing(evidence: Evidence) -> list[EntryVersion]:
    """Saved versions of the owner's entries that list this evidence and went to review."""
    reviewed = or_(
        exists().where(ReviewRequest.entry_version_id == EntryVersion.id),
        exists().where(Signoff.entry_version_id == EntryVersion.id),
    )
    return list(db.session.scalars(
        select(EntryVersion).join(Entry, Entry.id == EntryVersion.entry_id)
        .where(Entry.owner_id == evidence.owner_id, version_lists_evidence(evidence.id),
               reviewed)
        .options(joinedload(EntryVersion.entry))
        .order_by(EntryVersion.entry_id, EntryVersion.number.desc())))


def attached_to_entry(entry_id: int) -> list[Evidence]:
    """Evidence on an entry's working copy, in the author's order."""
    return list(db.session.scalars(
        select(Evidence).join(EntryEvidence, EntryEvidence.evidence_id == Evidence.id)
        .join(Entry, Entry.id == EntryEvidence.entry_id)
        .where(EntryEvidence.entry_id == entry_id, Evidence.owner_id == Entry.owner_id)
        .order_by(EntryEvidence.position, EntryEvidence.id)))


def listed_and_attached(entry: Entry, evidence_ids: list[int]) -> tuple[list, list]:
    """For the author, in one statement: the listed items of theirs that still exist (listed
    order), and the working copy's evidence (the author's order)."""
    rows = db.session.execute(_listed_and_attached_statement(), {
        "entry_id": entry.id, "owner_id": entry.owner_id, "ids": list(evidence_ids)}).all()
    by_id = {row.Evidence.id: row.Evidence for row in rows}
    attached = sorted((row for row in rows if row.id is not None),
                      key=lambda row: (row.position, row.id))
    return ([by_id[i] for i in evidence_ids if i in by_id],
            [row.Evidence for row in attached])


@built_once
def _listed_and_attached_statement():
    return (select(Evidence, EntryEvidence.position, EntryEvidence.id)
            .outerjoin(EntryEvidence, and_(EntryEvidence.evidence_id == Evidence.id,
                                           EntryEvidence.entry_id == bindparam("entry_id")))
            .where(Evidence.owner_id == bindparam("owner_id"),
                   or_(Evidence.id.in_(bindparam("ids", expanding=True)),
                       EntryEvidence.id.is_not(None))))


def visible_among(viewer, owner_id: int, evidence_ids: list[int]) -> list[Evidence]:
    """The listed evidence items of `owner_id` that the viewer may open, in the listed order."""
    ids = list(dict.fromkeys(int(i) for i in evidence_ids or () if str(i).isdigit()))
    if not ids:
        return []
    rows = db.session.scalars(select(Evidence).where(
        Evidence.id.in_(ids), Evidence.owner_id == owner_id, visible_evidence_filter(viewer)))
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def expected_files() -> dict[str, set[str]]:
    """Storage key -> the variants each file row needs on disk (for `flask storage check`)."""
    expected: dict[str, set[str]] = {}
    rows = db.session.execute(select(Evidence.storage_key, Evidence.has_thumbnail).where(
        Evidence.kind == "file", Evidence.storage_key.is_not(None)))
    for key, has_thumbnail in rows:
        expected[key] = {"", ".thumb"} if has_thumbnail else {""}
    return expected


def evidence_by_key(keys: list[str]) -> dict[str, Evidence]:
    if not keys:
        return {}
    return {row.storage_key: row for row in db.session.scalars(
        select(Evidence).where(Evidence.storage_key.in_(keys)))}
