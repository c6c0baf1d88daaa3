"""Deliver queued webhook events: claim, sign, POST once, record the outcome, retry later.

Claiming settles two workers reaching for the same delivery: on PostgreSQL the due rows are
read FOR UPDATE SKIP LOCKED, and on both databases the conditional UPDATE ... RETURNING that
sets the lease only hands a row to one of them. Each POST happens outside any transaction.
Redirects are never followed (a 3xx is a failure), timeouts are short, and only a small
excerpt of the response is kept. The host is resolved once and the connection made to that
address, which must be a public one: an endpoint cannot reach the server's own network
(except localhost when WEBHOOKS_ALLOW_LOCAL_HTTP is on, for tests and development).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
from dataclasses import dataclass
from datetime import timedelta
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import delete, or_, select, update

from ..auth.models import User
from ..database import is_postgres, utcnow
from ..extensions import db
from ..programmes.models import Cohort
from .models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from .services import LOCAL_HOSTS

log = logging.getLogger(__name__)

BATCH_SIZE = 50
CLAIM_LEASE = timedelta(minutes=5)
FIRST_RETRY_SECONDS = 30
LONGEST_RETRY_SECONDS = 3600
EXCERPT_LENGTH = 200
SIGNATURE_HEADER = "Portfolio-Signature"
SIGNATURE_TOLERANCE_SECONDS = 300
DEFAULTS = {
    "WEBHOOKS_TIMEOUT": 5,  # seconds to connect, and to wait for each read
    "WEBHOOKS_MAX_ATTEMPTS": 8,  # then the delivery is marked failed
    "WEBHOOKS_DISABLE_AFTER": 20,  # failed attempts in a row switch the endpoint off
    "WEBHOOKS_RETENTION_DAYS": 30,  # finished deliveries are kept this long
    "WEBHOOKS_ALLOW_LOCAL_HTTP": False,  # http:// to localhost only, for tests and development
}
NAMED_PEOPLE = ("candidate", "user", "reviewer")


def setting(name: str):
    return current_app.config.get(name, DEFAULTS[name])


# --- signing ---------------------------------------------------------------------------------

def signature(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>" with the endpoint's secret, as hex."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify_signature(secret: str, header: str, body: bytes, *, now: float | None = None,
                     tolerance: int = SIGNATURE_TOLERANCE_SECONDS) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), fields.get("v1", ""))


# --- the body --------------------------------------------------------------------------------

def _named(data: dict) -> dict:
    """The queued ids with the names a lead may read (current names: erasure applies)."""
    facts = dict(data)
    for role in NAMED_PEOPLE:
        person_id = data.get(f"{role}_id")
        if person_id is not None:
            person = db.session.get(User, person_id)
            facts[f"{role}_name"] = person.display_name if person else None
    if data.get("cohort_id") is not None:
        cohort = db.session.get(Cohort, data["cohort_id"])
        facts["cohort_name"] = cohort.label if cohort else None
    return facts


def body_of(delivery: WebhookDelivery) -> bytes:
    payload = {"id": delivery.event_id, "type": str(delivery.event_type),
               "created_at": delivery.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
               "data": _named(delivery.data or {})}
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


# --- claiming --------------------------------------------------------------------------------

def _due(now, include_waiting: bool) -> list:
    active = select(WebhookEndpoint.id).where(WebhookEndpoint.active.is_(True))
    conditions = [WebhookDelivery.status == DeliveryStatus.PENDING,
                  WebhookDelivery.endpoint_id.in_(active),
                  or_(WebhookDelivery.locked_until.is_(None),
                      WebhookDelivery.locked_until <= now)]
    if not include_waiting:
        conditions.append(WebhookDelivery.next_attempt_at <= now)
    return conditions


def claim_due(limit: int = BATCH_SIZE, *, include_waiting: bool = False,
              skip: frozenset[int] = frozenset()) -> list[int]:
    """Claim up to `limit` due deliveries (not in `skip`) for this worker; commit the claim."""
    now = utcnow()
    due = _due(now, include_waiting)
    if skip:
        due.append(WebhookDelivery.id.notin_(skip))
    oldest = select(WebhookDelivery.id).where(*due) \
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)
    if is_postgres():
        oldest = oldest.with_for_update(of=WebhookDelivery, skip_locked=True)
    candidates = list(db.session.scalars(oldest))
    if not candidates:
        db.session.commit()
        return []
    claimed = db.session.scalars(
        update(WebhookDelivery).where(WebhookDelivery.id.in_(candidates), *due)
        .values(locked_until=now + CLAIM_LEASE).returning(WebhookDelivery.id)
        .execution_options(synchronize_session=False)).all()
    db.session.commit()
    return sorted(claimed)


# --- sending ---------------------------------------------------------------------------------

@dataclass
class Attempt:
    code: int | None = None
    excerpt: str | None = None
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.code is not None and 200 <= self.code < 300


class PinnedHTTPSConnection(HTTPSConnection):
    """HTTPS to an address resolved beforehand, with the certificate checked for the host."""

    def __init__(self, host: str, port: int | None, address: str, **options):
        super().__init__(host, port, **options)
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class PrivateAddress(OSError):
    """The endpoint's host resolves to an address inside a private or reserved network."""


def public_address(host: str, port: int) -> str:
    """The one address to connect to; refuse the host if any address it has is not public."""
    addresses = [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
    for address in addresses:
        if not ipaddress.ip_address(address.split("%")[0]).is_global:
            raise PrivateAddress(f"{host} resolves to a private or reserved address.")
    return addresses[0]


def _connection(parts, timeout: float):
    port = parts.port or (443 if parts.scheme == "https" else 80)
    local = parts.hostname in LOCAL_HOSTS and setting("WEBHOOKS_ALLOW_LOCAL_HTTP")
    if parts.scheme != "https":
        if not local:  # registration refuses this; an edited row must not get through either
            raise PrivateAddress("Only https:// addresses are allowed.")
        return HTTPConnection(parts.hostname, port, timeout=timeout)
    address = parts.hostname if local else public_address(parts.hostname, port)
    return PinnedHTTPSConnection(parts.hostname, port, address, timeout=timeout)


def post(url: str, body: bytes, headers: dict, timeout: float) -> Attempt:
    """POST once; never follow a redirect; keep a short excerpt of the answer."""
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection = _connection(parts, timeout)
    except OSError as error:
        return Attempt(error=(f"{type(error).__name__}: {error}")[:EXCERPT_LENGTH])
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_LENGTH * 4).decode("utf-8", "replace")[:EXCERPT_LENGTH]
        attempt = Attempt(code=response.status, excerpt=excerpt or None)
        if 300 <= response.status < 400:
            attempt.error = "Redirects are not followed: give the final address."
        elif not attempt.succeeded:
            attempt.error = f"The endpoint answered {response.status}."
        return attempt
    except (OSError, HTTPException) as error:
        return Attempt(error=(f"{type(error).__name__}: {error}")[:EXCERPT_LENGTH])
    finally:
        connection.close()


def headers_for(delivery: WebhookDelivery, secret: str, body: bytes) -> dict:
    return {"Content-Type": "application/json", "User-Agent": "AdvancedCoachPortfolio-Webhooks/1",
            "Portfolio-Event": str(delivery.event_type), "Portfolio-Event-Id": delivery.event_id,
            "Portfolio-Delivery": str(delivery.id),
            SIGNATURE_HEADER: signature_header(secret, int(time.time()), body)}


def retry_delay(attempts: int) -> timedelta:
    """After the `attempts`-th failure: 30 s, doubling, capped at an hour."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** min(attempts - 1, 20),
                                 LONGEST_RETRY_SECONDS))


def _record(delivery_id: int, attempt: Attempt) -> None:
    delivery = db.session.get(WebhookDelivery, delivery_id, populate_existing=True)
    if delivery is None:
        return  # its endpoint was deleted meanwhile
    now = utcnow()
    delivery.attempts += 1
    delivery.last_attempt_at, delivery.locked_until = now, None
    delivery.response_code, delivery.response_excerpt = attempt.code, attempt.excerpt
    delivery.last_error = attempt.error
    if attempt.succeeded:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, now
        db.session.execute(update(WebhookEndpoint).where(
            WebhookEndpoint.id == delivery.endpoint_id).values(consecutive_failures=0))
    else:
        if delivery.attempts >= int(setting("WEBHOOKS_MAX_ATTEMPTS")):
            delivery.status = DeliveryStatus.FAILED
        else:
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        _count_failure(delivery.endpoint_id, now)
    db.session.commit()


def _count_failure(endpoint_id: int, now) -> None:
    """Add one failure to the endpoint atomically; switch it off at the limit."""
    failures = db.session.scalar(
        update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
        .values(consecutive_failures=WebhookEndpoint.consecutive_failures + 1)
        .returning(WebhookEndpoint.consecutive_failures)
        .execution_options(synchronize_session=False))
    limit = int(setting("WEBHOOKS_DISABLE_AFTER"))
    if failures is not None and failures >= limit:
        db.session.execute(update(WebhookEndpoint).where(
            WebhookEndpoint.id == endpoint_id, WebhookEndpoint.active.is_(True)).values(
            active=False, disabled_at=now,
            disabled_reason=f"Switched off after {limit} failed attempts in a row.")
            .execution_options(synchronize_session=False))
        log.warning("Webhook endpoint %s switched off after %s failures", endpoint_id, failures)


def deliver_one(delivery_id: int) -> bool | None:
    """Send one claimed delivery; return whether it was accepted (None: nothing to send)."""
    delivery = db.session.get(WebhookDelivery, delivery_id, populate_existing=True)
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        db.session.commit()
        return None
    endpoint = delivery.endpoint
    url, body = endpoint.url, body_of(delivery)
    headers = headers_for(delivery, endpoint.secret, body)
    db.session.commit()  # no transaction stays open while the endpoint answers
    attempt = post(url, body, headers, float(setting("WEBHOOKS_TIMEOUT")))
    _record(delivery_id, attempt)
    return attempt.succeeded


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0  # attempts that failed this pass (the delivery waits for a retry)


def deliver_due(*, include_waiting: bool = False) -> DeliveryReport:
    """Send every delivery that is due now, each at most once per call."""
    report, tried = DeliveryReport(), set()
    while ids := claim_due(include_waiting=include_waiting, skip=frozenset(tried)):
        for delivery_id in ids:
            tried.add(delivery_id)
            outcome = deliver_one(delivery_id)
            if outcome is True:
                report.delivered += 1
            elif outcome is False:
                report.failed += 1
    return report


def prune_finished(now=None) -> int:
    """Forget delivered and failed deliveries older than the retention period."""
    cutoff = (now or utcnow()) - timedelta(days=int(setting("WEBHOOKS_RETENTION_DAYS")))
    result = db.session.execute(delete(WebhookDelivery).where(
        WebhookDelivery.status != DeliveryStatus.PENDING, WebhookDelivery.created_at < cutoff))
    db.session.commit()
    return result.rowcount or 0
