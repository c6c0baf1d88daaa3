"""Evidence: uploaded files (stored under a random key) or links, reusable across entries."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import TimestampMixin, UTCDateTime
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User
    from ..entries.models import Entry

EVIDENCE_KINDS = ("file", "link")


class Evidence(TimestampMixin, db.Model):
    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_owner_sha256", "owner_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8), default="file")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(2000))  # link evidence: https only
    # File evidence. The original name is for display and download headers only.
    original_filename: Mapped[str | None] = mapped_column(String(255))
    storage_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    media_type: Mapped[str | None] = mapped_column(String(120))
    category: Mapped[str | None] = mapped_column(String(16))  # image, video, audio, document
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    sha256: Mapped[str | None] = mapped_column(String(64))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    has_thumbnail: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    owner: Mapped[User] = relationship()
    links: Mapped[list[EntryEvidence]] = relationship(
        back_populates="evidence", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def is_file(self) -> bool:
        return self.kind == "file"


class EntryEvidence(db.Model):
    """Evidence attached to an entry's working copy (versions snapshot the ids)."""

    __tablename__ = "entry_evidence"
    __table_args__ = (UniqueConstraint("entry_id", "evidence_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"),
                                          index=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"),
                                             index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    entry: Mapped[Entry] = relationship()
    evidence: Mapped[Evidence] = relationship(back_populates="links")
