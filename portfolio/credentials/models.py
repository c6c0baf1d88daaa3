"""Issued completion credentials: the signed Open Badges 3.0 document as it was issued."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User
    from ..programmes.models import CohortMembership
    from ..reviews.models import ProgrammeCompletion


def new_credential_id() -> str:
    return str(uuid.uuid4())


class Credential(db.Model):
    """One completion's credential. The document never changes once signed (a change would
    break the signature); revocation is kept beside it and published in the revocation list."""

    __tablename__ = "credentials"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_credential_id)
    completion_id: Mapped[int] = mapped_column(
        ForeignKey("programme_completions.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("cohort_memberships.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    document: Mapped[dict] = mapped_column(JSON)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revocation_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    user: Mapped[User] = relationship()
    membership: Mapped[CohortMembership] = relationship()
    completion: Mapped[ProgrammeCompletion] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def urn(self) -> str:
        return f"urn:uuid:{self.id}"
