"""The rules of webhooks: registering endpoints, queueing events, sending again and testing.

Every function takes the acting user, raises DomainError with a message for people, and only
flushes: the view (or the service whose change is reported) commits once.
"""

from __future__ import annotations

import ipaddress
import secrets
import uuid
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..database import utcnow
from ..errors import DomainError
from ..extensions import db
from ..once import submission_key
from .models import (
    SUBSCRIBABLE,
    DeliveryStatus,
    EventType,
    WebhookDelivery,
    WebhookEndpoint,
)
from .permissions import can_manage_webhooks

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
MAX_URL = 500
MAX_DESCRIPTION = 200


def _require_manager(actor) -> None:
    if not can_manage_webhooks(actor):
        raise DomainError("Only a programme lead or admin can manage webhooks.")


def check_url(raw: str) -> str:
    """The endpoint address, or a DomainError saying what is wrong with it."""
    url = (raw or "").strip()
    if not url:
        raise DomainError("Enter the address that should receive the events.", field="url")
    if len(url) > MAX_URL:
        raise DomainError(f"Keep the address to {MAX_URL} characters or fewer.", field="url")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as error:
        raise DomainError("Enter a full web address, like https://lms.example.org/hooks.",
                          field="url") from error
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password:
        raise DomainError("Enter a full web address, like https://lms.example.org/hooks "
                          "(without a user name or password in it).", field="url")
    if parts.scheme == "http" and host in LOCAL_HOSTS and _local_allowed():
        return url
    if parts.scheme != "https":
        raise DomainError("The address must start with https:// so events travel encrypted.",
                          field="url")
    if _private_literal(host) and not (host in LOCAL_HOSTS and _local_allowed()):
        raise DomainError("The address must be reachable on the internet, not a private or "
                          "reserved network address.", field="url")
    return url


def _local_allowed() -> bool:
    return bool(current_app.config.get("WEBHOOKS_ALLOW_LOCAL_HTTP"))


def _private_literal(host: str) -> bool:
    """An address written as numbers (or localhost) that is not on the public internet."""
    if host == "localhost":
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False  # a name: checked again each time it is resolved for sending


def _chosen_events(events: list[str]) -> str:
    chosen = [event for event in SUBSCRIBABLE if event in set(events or [])]
    if not chosen:
        raise DomainError("Choose at least one event to send.", field="events")
    return ",".join(chosen)


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


ALREADY_REGISTERED = ("This form registered its endpoint already, and its secret was shown "
                      "then. Find the endpoint in the list below; to get a new secret, remove "
                      "it and register the address again.")


def create_endpoint(actor, url: str, events: list[str], description: str = "",
                    form_key: str | None = None) -> WebhookEndpoint:
    """Register an endpoint with a fresh signing secret (the caller shows it once)."""
    _require_manager(actor)
    key = submission_key(form_key, "webhook-endpoint")
    if key is not None and db.session.scalar(
            select(WebhookEndpoint.id).where(WebhookEndpoint.submission_key == key)):
        raise DomainError(ALREADY_REGISTERED)
    endpoint = WebhookEndpoint(url=check_url(url), events=_chosen_events(events),
                               description=(description or "").strip()[:MAX_DESCRIPTION],
                               secret=new_secret(), active=True, submission_key=key)
    db.session.add(endpoint)
    try:
        db.session.flush()
    except IntegrityError as error:  # the same form, sent at the same moment, was stored
        raise DomainError(ALREADY_REGISTERED) from error
    record("webhook.endpoint_added", actor=actor, target=endpoint, events=endpoint.events)
    return endpoint


def set_active(actor, endpoint: WebhookEndpoint, active: bool) -> None:
    """Switch an endpoint on (its failure count starts again) or off."""
    _require_manager(actor)
    endpoint.active = active
    endpoint.consecutive_failures = 0
    endpoint.disabled_at = None if active else utcnow()
    endpoint.disabled_reason = None if active else "Switched off by a programme lead."
    db.session.flush()
    record("webhook.endpoint_enabled" if active else "webhook.endpoint_disabled",
           actor=actor, target=endpoint)


def delete_endpoint(actor, endpoint: WebhookEndpoint) -> None:
    """Remove the endpoint and its delivery history."""
    _require_manager(actor)
    record("webhook.endpoint_deleted", actor=actor, target=endpoint)
    db.session.delete(endpoint)
    db.session.flush()


def send_again(actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Queue the same event (same event id) to the same endpoint as a new delivery."""
    _require_manager(actor)
    if not delivery.endpoint.active:
        raise DomainError("Switch the endpoint on before sending again.")
    again = WebhookDelivery(endpoint_id=delivery.endpoint_id, event_id=delivery.event_id,
                            event_type=delivery.event_type, occurred_at=delivery.occurred_at,
                            data=dict(delivery.data), status=DeliveryStatus.PENDING,
                            subject_user_id=delivery.subject_user_id, next_attempt_at=utcnow())
    db.session.add(again)
    db.session.flush()
    return again


def send_test_event(actor, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Queue a test event to one endpoint, whatever it subscribes to."""
    _require_manager(actor)
    if not endpoint.active:
        raise DomainError("Switch the endpoint on before sending a test event.")
    return _queue_to(endpoint, _new_event_id(), EventType.TEST, utcnow(), {"test": True})


def _new_event_id() -> str:
    return str(uuid.uuid4())


def _queue_to(endpoint, event_id, event_type, occurred_at, data,
              subject_id=None) -> WebhookDelivery:
    delivery = WebhookDelivery(endpoint_id=endpoint.id, event_id=event_id,
                               event_type=event_type, occurred_at=occurred_at, data=data,
                               subject_user_id=subject_id, status=DeliveryStatus.PENDING,
                               next_attempt_at=occurred_at)
    db.session.add(delivery)
    return delivery


def queue_event(event_type: EventType, data: dict,
                subject_id: int | None = None) -> list[WebhookDelivery]:
    """Queue one delivery per active endpoint subscribed to the event (flush only);
    `subject_id` is the person the event is about."""
    endpoints = db.session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.active.is_(True)).order_by(WebhookEndpoint.id)).all()
    wanted = [endpoint for endpoint in endpoints if endpoint.subscribes_to(event_type)]
    if not wanted:
        return []
    event_id, now = _new_event_id(), utcnow()
    deliveries = [_queue_to(endpoint, event_id, event_type, now, data, subject_id)
                  for endpoint in wanted]
    db.session.flush()
    return deliveries
