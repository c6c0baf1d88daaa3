"""API access: personal access tokens, registered client systems and per-token rate windows."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import TimestampMixin, UTCDateTime, state_type, utcnow
from ..extensions import db


class TokenKind(StrEnum):
    PERSONAL = "personal"  # made by a person on their API access page, acts as them
    CLIENT = "client"  # issued to a registered client system at POST /api/v1/oauth/token


class ApiClient(TimestampMixin, db.Model):
    """A system (the learning management system) a programme lead allowed to read the API."""

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(40), unique=True)  # public identifier
    secret_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the secret, hex
    name: Mapped[str] = mapped_column(String(120))
    # The lead who registered it: its tokens read as that lead, narrowed to the granted years.
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                               index=True)
    scopes: Mapped[list] = mapped_column(JSON, default=list)  # ["read:cohorts", ...]
    year_ids: Mapped[list] = mapped_column(JSON, default=list)  # granted programme years
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_by = relationship("User")

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ApiToken(TimestampMixin, db.Model):
    """A bearer token; only the SHA-256 of its secret is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[TokenKind] = mapped_column(state_type(TokenKind, "kind"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_clients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # shown on the page to tell tokens apart
    scopes: Mapped[list] = mapped_column(JSON, default=list)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship("User")
    client: Mapped[ApiClient | None] = relationship()

    def is_usable(self, now: datetime | None = None) -> bool:
        return self.revoked_at is None and (now or utcnow()) < self.expires_at


class ApiRateWindow(db.Model):
    """Requests one token made in one fixed window; the database adds them up atomically."""

    __tablename__ = "api_rate_windows"

    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"),
                                          primary_key=True)
    window_start: Mapped[int] = mapped_column(Integer, primary_key=True)  # epoch seconds // length
    hits: Mapped[int] = mapped_column(Integer, default=0)
