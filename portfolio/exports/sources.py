"""What exports borrow from other features, in one place: section labels, evidence access, files.

Exports apply the evidence rule themselves in bulk (the evidence must belong to the entry's
owner and be listed in a latest saved version the requester may read) and, where the evidence
feature provides its SQL filter, apply that as well, so an export never shows more than a page.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy import select, true

from ..evidence.models import Evidence
from ..extensions import db


def ordered_sections(model_key: str | None, sections: dict | None,
                     rendered: dict) -> list[dict]:
    """[{"title", "text", "html"}] in the reflection model's order, labelled as entry pages
    label them; "html" from `rendered` (the version's stored HTML)."""
    try:
        from ..entries.reflection_models import ordered_sections as entries_order
    except ImportError:  # pragma: no cover - the entries feature always provides it when built
        return [{"title": key.replace("_", " ").capitalize(), "text": text,
                 "html": rendered.get(key, "")} for key, text in (sections or {}).items()]
    return [item for item in entries_order(model_key, sections, rendered) if item["text"]]


def model_name(model_key: str | None) -> str:
    try:
        from ..entries.reflection_models import model_name as entries_model_name
    except ImportError:  # pragma: no cover
        return model_key or ""
    return entries_model_name(model_key)


def _evidence_filter(viewer):
    try:
        from ..evidence.permissions import visible_evidence_filter
    except ImportError:  # pragma: no cover - the local rule below still applies
        return true()
    return visible_evidence_filter(viewer)


def evidence_for_versions(owner_id: int, evidence_ids: set[int], viewer) -> list[Evidence]:
    """Evidence listed by the given (already visible) versions that the viewer may open."""
    if not evidence_ids:
        return []
    return list(db.session.scalars(
        select(Evidence).where(Evidence.id.in_(evidence_ids), Evidence.owner_id == owner_id,
                               Evidence.deleted_at.is_(None), _evidence_filter(viewer))
        .order_by(Evidence.created_at, Evidence.id)))


def all_own_evidence(owner_id: int) -> list[Evidence]:
    """Everything a candidate has uploaded or linked (their own data-portability export)."""
    return list(db.session.scalars(
        select(Evidence).where(Evidence.owner_id == owner_id, Evidence.deleted_at.is_(None))
        .order_by(Evidence.created_at, Evidence.id)))


def evidence_file(evidence: Evidence, variant: str = "") -> Path | None:
    """Where an evidence file (or its ".thumb" variant) is stored, or None if not on disk."""
    if not evidence.is_file or not evidence.storage_key:
        return None
    try:
        from ..storage import stored_file
    except ImportError:  # pragma: no cover - layout before the storage module existed
        name = Path(evidence.storage_key).name + variant
        candidate = Path(current_app.config["UPLOAD_FOLDER"]) / name
        return candidate if candidate.is_file() else None
    return stored_file(evidence.storage_key, variant)
