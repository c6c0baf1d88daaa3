"""Sent-once keys: a form the phone's outbox sends again takes effect once.

A form made on a phone carries a UUID made when it was opened. The first send that creates
something stores (person, key) under a unique constraint, in the same transaction as what it
creates, with the address of the result; a retry (or a second send at the same moment, which
the constraint refuses) is answered with that address instead of a second record.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import db


class SentOnceKey(db.Model):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         nullable=False)
    key: Mapped[str] = mapped_column(String(36), nullable=False)
    # What the key was spent on ("observation", "entry") and where its result is read.
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    result_url: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
