"""The search index: one row per searchable thing, holding the text readers may find.

Rows hold text only. Who may read a row is decided at query time by the same SQL filters the
pages use (see visibility.py), joined to the thing itself, so a change of privacy tier or
membership takes effect on the next search without touching the index.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import db


class DocumentKind(StrEnum):
    ENTRY = "entry"            # an entry's latest saved version (never its working copy)
    COMMENT = "comment"        # a comment or peer feedback on an entry
    EVIDENCE = "evidence"      # an evidence item's title and description
    GOAL = "goal"              # a development goal
    PHILOSOPHY = "philosophy"  # a coaching philosophy's latest saved version
    OBSERVATION = "observation"  # an observation of a candidate's session (owner: candidate)


KIND_LABELS = {
    DocumentKind.ENTRY: "Entries",
    DocumentKind.COMMENT: "Comments",
    DocumentKind.EVIDENCE: "Evidence",
    DocumentKind.GOAL: "Goals",
    DocumentKind.PHILOSOPHY: "Coaching philosophy",
    DocumentKind.OBSERVATION: "Observations",
}


# One result's tag.
KIND_NAMES = {
    DocumentKind.ENTRY: "Entry",
    DocumentKind.COMMENT: "Comment",
    DocumentKind.EVIDENCE: "Evidence",
    DocumentKind.GOAL: "Goal",
    DocumentKind.PHILOSOPHY: "Coaching philosophy",
    DocumentKind.OBSERVATION: "Observation",
}


class SearchDocument(db.Model):
    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "ref_id", name="uq_search_documents_kind_ref"),
        Index("ix_search_documents_owner", "owner_id"),
        Index("ix_search_documents_entry", "entry_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    ref_id: Mapped[int] = mapped_column(Integer)  # the entry, comment, evidence, goal or statement
    # Whose portfolio it belongs to (a comment: the entry's author, not the commenter).
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Entries and comments: the entry, whose cohort and privacy decide who may read the row.
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    happened_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
