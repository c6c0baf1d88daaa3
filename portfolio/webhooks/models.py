"""Webhook endpoints that leads register, and the queue of deliveries to them.

A delivery row is written in the same transaction as the change it reports, so a change that
rolls back queues nothing. Rows hold only ids (`data`); names are read when the body is built,
so a person erased after the event is sent under their pseudonym, never their old name. The
person an event is about (`subject_user_id`) finds it in their personal-data download, and
erasure deletes it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, state_type, utcnow
from ..extensions import db


class EventType(StrEnum):
    PROGRAMME_COMPLETED = "programme.completed"
    COMPLETION_REVOKED = "programme.completion_revoked"
    SIGNOFF_RECORDED = "signoff.recorded"
    MEMBERSHIP_CHANGED = "membership.changed"
    TEST = "webhook.test"


EVENT_LABELS = {
    EventType.PROGRAMME_COMPLETED: "Candidate completed the programme",
    EventType.COMPLETION_REVOKED: "Programme completion revoked",
    EventType.SIGNOFF_RECORDED: "Sign-off recorded",
    EventType.MEMBERSHIP_CHANGED: "Membership changed",
}
SUBSCRIBABLE = tuple(EVENT_LABELS)


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its first try or a retry
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the last attempt


class WebhookEndpoint(db.Model):
    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(String(200), default="")
    # Needed in the clear to sign each delivery; shown to the lead once, never again.
    secret: Mapped[str] = mapped_column(String(100))
    # Comma-separated EventType values the endpoint subscribes to.
    events: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Failed attempts in a row; reaching the limit disables the endpoint.
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The registering form's one-time key (portfolio/once.py): the same form sent again (a
    # reload of the page showing the secret) registers nothing more.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    deliveries: Mapped[list[WebhookDelivery]] = relationship(
        back_populates="endpoint", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def event_types(self) -> list[str]:
        return [item for item in self.events.split(",") if item]

    def subscribes_to(self, event_type: str) -> bool:
        return event_type == EventType.TEST or event_type in self.event_types


class WebhookDelivery(db.Model):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True)
    # One event sent to several endpoints (or sent again) keeps its id: receivers deduplicate.
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    event_type: Mapped[EventType] = mapped_column(state_type(EventType, "event_type", 40))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    data: Mapped[dict] = mapped_column(JSON)  # ids only, see the module docstring
    subject_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[DeliveryStatus] = mapped_column(state_type(DeliveryStatus, "status"),
                                                   default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A worker that claimed the delivery is sending it until then; if it dies, others may.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    response_code: Mapped[int | None] = mapped_column(Integer)
    response_excerpt: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(String(200))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    endpoint: Mapped[WebhookEndpoint] = relationship(back_populates="deliveries")
