"""A candidate's portfolio as one document: what the requester may read, nothing more.

`build_document` gathers it in a fixed number of statements (with a small JPEG preview of each
image the requester may open); `render_html` and `render_pdf` turn it into a self-contained HTML
file, a page or a PDF. Two audiences exist:
  shared   the entries of the membership's cohort the requester may read (never an *Only me*
           entry, even for the author);
  owner    the candidate's own complete copy (data portability), private entries included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, select

from ..auth.models import User
from ..database import utcnow
from ..entries.models import (
    SESSION_TYPES,
    Entry,
    EntryStatus,
    EntryVersion,
    PhilosophyStatement,
    PhilosophyVersion,
    PrivacyTier,
)
from ..entries.permissions import tier_admits, visible_entries_filter
from ..evidence.models import Evidence
from ..extensions import db
from ..frameworks.models import Competency
from ..programmes.access import current_relations_to
from ..programmes.models import CohortMembership
from ..reviews.progress import CandidateProgress, progress_for
from ..text import render_sections
from . import sources
from .previews import previews_for
from .queries import AreaGroup, framework_areas
from .signoffs import SignoffRecord, signoff_log


@dataclass
class EntryView:
    entry: Entry
    version: EntryVersion | None  # None: a draft never saved (owner copy only)
    sections: list[dict]
    competencies: list[Competency]
    evidence: list[Evidence]

    @property
    def title(self) -> str:
        return (self.version.title if self.version else self.entry.title) or "Untitled entry"

    @property
    def content(self) -> dict:
        return self.version.content if self.version else {}

    @property
    def session_type_label(self) -> str:
        return SESSION_TYPES.get(self.entry.session_type, self.entry.session_type)

    @property
    def model_name(self) -> str:
        return sources.model_name(self.content.get("reflection_model",
                                                   self.entry.reflection_model))


@dataclass
class PortfolioDocument:
    candidate: User
    membership: CohortMembership | None
    viewer: User
    audience: str
    generated_at: datetime
    entries: list[EntryView] = field(default_factory=list)
    philosophy: PhilosophyVersion | None = None
    areas: list[AreaGroup] = field(default_factory=list)
    progress: CandidateProgress | None = None
    signoffs: list[SignoffRecord] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    previews: dict[int, str] = field(default_factory=dict)  # evidence id -> image data: URI

    @property
    def is_owner_copy(self) -> bool:
        return self.audience == "owner"

    @property
    def cohort(self):
        return self.membership.cohort if self.membership else None

    def entries_claiming(self, code: str) -> list[EntryView]:
        return [view for view in self.entries
                if any(competency.code == code for competency in view.competencies)]


def build_document(candidate: User, membership: CohortMembership | None, viewer: User,
                   audience: str = "shared") -> PortfolioDocument:
    """Gather one candidate's portfolio as `viewer` may see it (see module docstring)."""
    if audience == "owner" and viewer.id != candidate.id:
        raise PermissionError("only a candidate may export their own complete portfolio")
    doc = PortfolioDocument(candidate, membership, viewer, audience, utcnow())
    pairs = _entries_with_versions(candidate.id, viewer, owner=doc.is_owner_copy,
                                   cohort_id=membership.cohort_id if membership else None)
    competencies = _competencies_by_id(pairs)
    listed = {int(i) for _, version in pairs if version for i in version.evidence_ids}
    if doc.is_owner_copy:
        doc.evidence = sources.all_own_evidence(candidate.id)
    else:
        doc.evidence = sources.evidence_for_versions(candidate.id, listed, viewer)
    evidence_by_id = {item.id: item for item in doc.evidence}
    doc.previews = previews_for(doc.evidence)
    for entry, version in pairs:
        content = version.content if version else {"sections": entry.sections}
        # A saved version's stored HTML; a never-saved draft (the owner's copy) is rendered.
        rendered = version.rendered if version else render_sections(entry.sections)
        doc.entries.append(EntryView(
            entry, version,
            sources.ordered_sections(content.get("reflection_model", entry.reflection_model),
                                     content.get("sections"), rendered),
            [competencies[i] for i in (version.competency_ids if version else [])
             if i in competencies],
            [evidence_by_id[int(i)] for i in (version.evidence_ids if version else [])
             if int(i) in evidence_by_id]))
    doc.philosophy = _philosophy(candidate, viewer, owner=doc.is_owner_copy)
    titles = {}
    if membership is not None:
        doc.areas, framework = framework_areas(membership.cohort.framework_id)
        titles = {competency.code: competency.title for competency in framework}
        doc.progress = progress_for([candidate.id], framework)[candidate.id]
    doc.signoffs = signoff_log([candidate.id], viewer, titles, include_private=doc.is_owner_copy,
                               cohort=None if doc.is_owner_copy else doc.cohort)
    return doc


def _entries_with_versions(owner_id: int, viewer, owner: bool,
                           cohort_id: int | None = None) -> list[tuple]:
    """The owner's complete copy, or the saved entries the viewer may read; a shared copy for
    a cohort membership holds that cohort's entries only (each year's work stays with it)."""
    latest = and_(EntryVersion.entry_id == Entry.id,
                  EntryVersion.number == Entry.latest_version_number)
    statement = (select(Entry, EntryVersion).outerjoin(EntryVersion, latest)
                 .where(Entry.owner_id == owner_id)
                 .order_by(Entry.practice_date.is_(None), Entry.practice_date, Entry.id))
    if not owner:
        statement = statement.where(visible_entries_filter(viewer),
                                    Entry.privacy != PrivacyTier.PRIVATE,
                                    Entry.status == EntryStatus.PUBLISHED,
                                    EntryVersion.id.is_not(None))
        if cohort_id is not None:
            statement = statement.where(Entry.cohort_id == cohort_id)
    pairs = db.session.execute(statement).all()
    # A version snapshot is what readers see; never show one that was saved as private.
    return [(entry, version) for entry, version in pairs
            if owner or (version.content or {}).get("privacy") != PrivacyTier.PRIVATE]


def _competencies_by_id(pairs) -> dict[int, Competency]:
    ids = {int(i) for _, version in pairs if version for i in version.competency_ids}
    if not ids:
        return {}
    return {c.id: c for c in db.session.scalars(select(Competency).where(Competency.id.in_(ids)))}


def _philosophy(candidate: User, viewer: User, owner: bool) -> PhilosophyVersion | None:
    statement = db.session.scalar(select(PhilosophyStatement).where(
        PhilosophyStatement.owner_id == candidate.id))
    if statement is None or not statement.latest_version_number:
        return None
    if not owner:
        if statement.privacy == PrivacyTier.PRIVATE:
            return None
        if viewer.id != candidate.id and not tier_admits(
                statement.privacy, current_relations_to(viewer, candidate.id)):
            return None
    return db.session.scalar(select(PhilosophyVersion).where(
        PhilosophyVersion.statement_id == statement.id,
        PhilosophyVersion.number == statement.latest_version_number))
