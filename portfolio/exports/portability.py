"""A candidate's own data in a machine-readable form (portfolio.json in their personal ZIP).

Only ever built for the candidate themselves: it holds every entry version, including entries
marked *Only me*, their philosophy versions and goals.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..entries.models import Entry, EntryVersion, Goal, PhilosophyStatement, PhilosophyVersion
from ..extensions import db
from .document import PortfolioDocument


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def personal_data(user: User, doc: PortfolioDocument) -> dict:
    """Everything the candidate wrote, as plain JSON-ready data (a few statements)."""
    return {
        "format": "advanced-coach-portfolio/personal-export",
        "version": 1,
        "exported_at": _iso(doc.generated_at),
        "person": {"name": user.display_name, "email": user.email},
        "entries": _entries(user.id),
        "philosophy": _philosophy(user.id),
        "goals": _goals(user.id),
        "evidence": [_evidence(item) for item in doc.evidence],
        "signoffs": [record.as_manifest() for record in doc.signoffs],
    }


def _entries(owner_id: int) -> list[dict]:
    entries = db.session.scalars(select(Entry).where(Entry.owner_id == owner_id)
                                 .order_by(Entry.id)).all()
    versions: dict[int, list[dict]] = {}
    for version in db.session.scalars(
            select(EntryVersion).join(Entry, Entry.id == EntryVersion.entry_id)
            .where(Entry.owner_id == owner_id).order_by(EntryVersion.entry_id,
                                                        EntryVersion.number)):
        versions.setdefault(version.entry_id, []).append({
            "number": version.number, "title": version.title, "saved_at": _iso(version.created_at),
            "content_hash": version.content_hash, "note": version.note,
            "content": version.content})
    return [{
        "id": entry.id, "title": entry.title, "privacy": entry.privacy, "status": entry.status,
        "practice_date": _iso(entry.practice_date), "session_type": entry.session_type,
        "event_group": entry.event_group, "athletes": entry.athletes,
        "reflection_model": entry.reflection_model, "working_copy": entry.sections,
        "created_at": _iso(entry.created_at), "updated_at": _iso(entry.updated_at),
        "versions": versions.get(entry.id, []),
    } for entry in entries]


def _philosophy(owner_id: int) -> dict | None:
    statement = db.session.scalar(select(PhilosophyStatement).where(
        PhilosophyStatement.owner_id == owner_id))
    if statement is None:
        return None
    versions = db.session.scalars(select(PhilosophyVersion).where(
        PhilosophyVersion.statement_id == statement.id).order_by(PhilosophyVersion.number))
    return {"privacy": statement.privacy, "working_copy": statement.body,
            "versions": [{"number": v.number, "saved_at": _iso(v.created_at), "body": v.body,
                          "content_hash": v.content_hash} for v in versions]}


def _goals(owner_id: int) -> list[dict]:
    goals = db.session.scalars(
        select(Goal).where(Goal.owner_id == owner_id).order_by(Goal.id)
        .options(selectinload(Goal.notes), selectinload(Goal.competencies)))
    return [{
        "title": goal.title, "description": goal.description,
        "target_date": _iso(goal.target_date), "status": goal.status, "privacy": goal.privacy,
        "competencies": [competency.code for competency in goal.competencies],
        "notes": [{"written_at": _iso(note.created_at), "body": note.body}
                  for note in goal.notes],
    } for goal in goals]


def _evidence(item) -> dict:
    return {"id": item.id, "kind": item.kind, "title": item.title,
            "description": item.description, "url": item.url,
            "original_filename": item.original_filename, "media_type": item.media_type,
            "size": item.size_bytes, "sha256": item.sha256, "added_at": _iso(item.created_at)}
