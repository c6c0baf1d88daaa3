"""Sign-off codes: a one-time, ten-minute code a candidate shows to be signed off in person."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User
    from ..entries.models import Entry, EntryVersion
    from ..reviews.models import ReviewRequest


class QuickSignCode(db.Model):
    """One shown code. Only the code's SHA-256 is kept; it is bound to the entry version, that
    version's content hash, the chosen competencies and the review request that records them.
    `used_at` is set once, by a conditional UPDATE, so a code signs at most one decision."""

    __tablename__ = "quick_sign_codes"
    __table_args__ = (
        Index("ix_quick_sign_codes_entry_created", "entry_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    entry_version_id: Mapped[int] = mapped_column(
        ForeignKey("entry_versions.id", ondelete="CASCADE"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                              index=True)
    review_request_id: Mapped[int] = mapped_column(
        ForeignKey("review_requests.id", ondelete="CASCADE"), index=True)
    competency_ids: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                   index=True)

    entry: Mapped[Entry] = relationship()
    entry_version: Mapped[EntryVersion] = relationship()
    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])
    used_by: Mapped[User | None] = relationship(foreign_keys=[used_by_id])
    review_request: Mapped[ReviewRequest] = relationship()

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and self.expires_at > now
