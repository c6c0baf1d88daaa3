"""What exports borrow from other features, in one place: section labels, evidence access, files.

Exports apply the evidence rule themselves in bulk (the evidence must belong to the entry's
owner and be listed in a latest saved version the requester may read) and apply the evidence
feature's SQL filter as well, so an export never shows more than a page.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from ..consent.models import withdrawn_clause
from ..entries.reflection_models import model_name as entries_model_name
from ..entries.reflection_models import ordered_sections as entries_order
from ..evidence.models import Evidence
from ..evidence.permissions import visible_evidence_filter
from ..extensions import db
from ..storage import stored_file


def ordered_sections(model_key: str | None, sections: dict | None,
                     rendered: dict) -> list[dict]:
    """[{"title", "text", "html"}] in the reflection model's order, labelled as entry pages
    label them; "html" from `rendered` (the version's stored HTML)."""
    return [item for item in entries_order(model_key, sections, rendered) if item["text"]]


def model_name(model_key: str | None) -> str:
    return entries_model_name(model_key)


def evidence_for_versions(owner_id: int, evidence_ids: set[int], viewer) -> list[Evidence]:
    """Evidence listed by the given (already visible) versions that the viewer may open."""
    if not evidence_ids:
        return []
    return list(db.session.scalars(
        select(Evidence).where(Evidence.id.in_(evidence_ids), Evidence.owner_id == owner_id,
                               Evidence.deleted_at.is_(None), ~withdrawn_clause(Evidence.id),
                               visible_evidence_filter(viewer))
        .order_by(Evidence.created_at, Evidence.id)))


def all_own_evidence(owner_id: int) -> list[Evidence]:
    """Everything a candidate has uploaded or linked (their own data-portability export)."""
    return list(db.session.scalars(
        select(Evidence).where(Evidence.owner_id == owner_id, Evidence.deleted_at.is_(None),
                               ~withdrawn_clause(Evidence.id))  # withdrawn: in no export
        .order_by(Evidence.created_at, Evidence.id)))


def evidence_file(evidence: Evidence, variant: str = "") -> Path | None:
    """Where an evidence file (or its ".thumb" variant) is stored, or None if not on disk."""
    if not evidence.is_file or not evidence.storage_key:
        return None
    return stored_file(evidence.storage_key, variant)
