"""Queue mail inside the caller's transaction; deliver it only once that transaction commits.

A failed delivery never fails the user's action: the message stays pending and
`flask mail send-outbox` retries it.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime as rfc2822_date
from email.utils import make_msgid
from pathlib import Path

from flask import current_app
from sqlalchemy import event, select

from ..database import utcnow
from ..extensions import db
from .models import OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
_PENDING_KEY = "outbox_pending_ids"


def queue_mail(to_address: str, subject: str, body: str) -> OutboxMessage:
    """Add a message to the outbox (flush only); it is sent after the surrounding commit."""
    message = OutboxMessage(to_address=to_address, subject=subject[:200], body_text=body)
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(_PENDING_KEY, []).append(message.id)
    return message


def build_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = rfc2822_date(message.created_at)
    email["Message-ID"] = make_msgid(domain="portfolio.local")
    email.set_content(message.body_text)
    return email


def _transport(email: EmailMessage, message: OutboxMessage) -> None:
    config = current_app.config
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"],
                          timeout=config["MAIL_TIMEOUT"]) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(email)
        return
    folder = Path(config["MAIL_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{message.created_at:%Y%m%dT%H%M%S}-{message.id:06d}.eml"
    path.write_bytes(bytes(email))
    log.warning("Mail to %s written to %s\n%s", message.to_address, path, message.body_text)


def deliver(message: OutboxMessage) -> bool:
    """Try to send one message, recording the outcome on the row (caller commits)."""
    message.attempts += 1
    try:
        _transport(build_email(message), message)
    except (OSError, smtplib.SMTPException) as error:
        message.last_error = str(error)[:500]
        message.status = "failed" if message.attempts >= MAX_ATTEMPTS else "pending"
        log.warning("Mail %s not sent: %s", message.id, error)
        return False
    message.status = "sent"
    message.sent_at = utcnow()
    message.last_error = None
    return True


def send_outbox(limit: int = 500) -> tuple[int, int]:
    """Send every pending message; return (sent, still pending)."""
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == "pending")
        .order_by(OutboxMessage.id).limit(limit)
    ).all()
    sent = sum(deliver(message) for message in rows)
    db.session.commit()
    return sent, len(rows) - sent


def deliver_after_commit(ids: list[int]) -> None:
    """Deliver messages queued by a transaction that has just committed."""
    try:
        for message_id in ids:
            message = db.session.get(OutboxMessage, message_id)
            if message is not None and message.status == "pending":
                deliver(message)
        db.session.commit()
    except Exception:  # noqa: BLE001 - mail must never fail the action that queued it
        log.exception("Delivering the outbox after commit failed; it stays queued")
        db.session.rollback()


@event.listens_for(db.session, "after_commit")
def _remember_committed(session):
    ids = session.info.pop(_PENDING_KEY, None)
    if ids:
        session.info.setdefault("outbox_ready_ids", []).extend(ids)


@event.listens_for(db.session, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop(_PENDING_KEY, None)


def install_after_commit_delivery(app) -> None:
    """Send mail queued by a request right after its commit, once the response is ready."""

    @app.after_request
    def _deliver(response):
        ids = db.session.info.pop("outbox_ready_ids", None)
        if ids and app.config.get("MAIL_DELIVER_AFTER_COMMIT", True):
            deliver_after_commit(ids)
        return response
