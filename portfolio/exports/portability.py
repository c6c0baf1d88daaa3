"""A candidate's own data in a machine-readable form (portfolio.json in their personal ZIP).

Only ever built for the candidate themselves: it holds every entry version, including entries
marked *Only me*, their philosophy versions and goals, their showcases and the outcomes of
their review panels (never the panel's notes).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..entries.models import Entry, EntryVersion, Goal, PhilosophyStatement, PhilosophyVersion
from ..extensions import db
from ..panels.models import ReviewPanel
from ..showcases.models import ItemKind, Showcase, ShowcaseItem
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
        "showcases": _showcases(user.id),
        "review_panels": _review_panels(user.id),
    }


def _showcases(owner_id: int) -> list[dict]:
    """Their showcases as they read: headings and items in order, each pinned item named by
    what it points at (entry and version number, evidence words as chosen, sign-off)."""
    showcases = db.session.scalars(
        select(Showcase).where(Showcase.owner_id == owner_id).order_by(Showcase.id)
        .options(selectinload(Showcase.items).selectinload(ShowcaseItem.entry_version),
                 selectinload(Showcase.items).selectinload(ShowcaseItem.signoff)))
    return [{
        "id": showcase.id, "title": showcase.title, "introduction": showcase.introduction,
        "submitted_copy": showcase.is_locked, "copied_from": showcase.copied_from_id,
        "shared_with_coach_developers": showcase.shared_with_developers,
        "shared_with_peer_group": showcase.shared_with_peers,
        "updated_at": _iso(showcase.updated_at),
        "items": [_showcase_item(item) for item in showcase.items],
    } for showcase in showcases]


def _showcase_item(item: ShowcaseItem) -> dict:
    data = {"kind": item.kind, "note": item.note}
    if item.kind == ItemKind.HEADING:
        data["heading"] = item.heading
    elif item.kind == ItemKind.ENTRY_VERSION and item.entry_version is not None:
        data.update(entry_id=item.entry_version.entry_id, version=item.entry_version.number,
                    title=item.entry_version.title,
                    content_hash=item.entry_version.content_hash)
    elif item.kind == ItemKind.EVIDENCE:
        data.update(evidence_id=item.evidence_id, title=item.pinned_title,
                    description=item.pinned_description)
    elif item.kind == ItemKind.SIGNOFF and item.signoff is not None:
        data.update(signoff_id=item.signoff_id, competency=item.signoff.competency_code,
                    decision=item.signoff.decision, version=item.signoff.version_number)
    return data


def _review_panels(candidate_id: int) -> list[dict]:
    """Their end-of-programme review panels with outcome and reasons (never the panel's notes)."""
    panels = db.session.scalars(
        select(ReviewPanel).where(ReviewPanel.candidate_id == candidate_id)
        .order_by(ReviewPanel.panel_on, ReviewPanel.id)
        .options(selectinload(ReviewPanel.outcome)))
    return [{
        "panel_on": _iso(panel.panel_on), "status": panel.status,
        "window": [_iso(panel.window_opens_on), _iso(panel.window_closes_on)],
        "submitted_at": _iso(panel.submitted_at),
        "outcome": None if panel.outcome is None else {
            "outcome": panel.outcome.label, "reasons": panel.outcome.reasons,
            "completes_programme": panel.outcome.completes_programme,
            "decided_at": _iso(panel.outcome.decided_at)},
    } for panel in panels]


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
