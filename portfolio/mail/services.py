"""Queue mail inside the caller's transaction; the background worker delivers it.

A request only adds outbox rows, committed with the rest of its work, so no page ever waits for
a mail server. The worker (`flask worker`, or the thread `make run` starts) claims the messages
that are due, sends them many to one SMTP connection and retries failures with a growing
back-off. `flask mail send-outbox` does the same once, from cron or by hand.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime as rfc2822_date
from email.utils import make_msgid
from pathlib import Path

from blinker import Namespace
from flask import current_app, render_template
from sqlalchemy import func, or_, select, update

from ..database import utcnow
from ..extensions import db
from .models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

BATCH_SIZE = 200
# A claimed message belongs to its worker this long; if the worker dies, another takes it.
CLAIM_LEASE = timedelta(minutes=10)
FIRST_RETRY_SECONDS = 60
LONGEST_RETRY_SECONDS = 3600
# With retries capped at an hour this keeps trying for about three days.
MAX_ATTEMPTS = 80

# Sent before each delivery pass, so features can queue mail that is composed off the request
# (the auth feature turns "forgot password" forms into reset mail here).
before_delivery = Namespace().signal("portfolio.mail.before-delivery")

# Errors that concern one message; the connection stays usable for the next one.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                  smtplib.SMTPDataError, smtplib.SMTPNotSupportedError)


def queue_mail(to_address: str, subject: str, body: str) -> OutboxMessage:
    """Add a message to the outbox (flush only); the worker sends it after the commit."""
    message = OutboxMessage(to_address=to_address, subject=subject[:200], body_text=body)
    db.session.add(message)
    db.session.flush()
    return message


def render_mail(template: str, **context) -> tuple[str, str]:
    """(subject, body) from `templates/email/<template>.txt`: the first line is the subject,
    the rest the plain-text body (not HTML-escaped: .txt templates are not autoescaped)."""
    text = render_template(f"email/{template}.txt", **context)
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip("\n") + "\n"


def queue_templated_mail(to_address: str, template: str, **context) -> OutboxMessage:
    """Queue the email a template writes (see `render_mail`)."""
    subject, body = render_mail(template, **context)
    return queue_mail(to_address, subject, body)


def build_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = rfc2822_date(message.created_at)
    email["Message-ID"] = make_msgid(domain="portfolio.local")
    email.set_content(message.body_text)
    return email


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0  # attempts that failed this pass (the message waits for a retry)
    connections: int = 0


class MailServerUnavailable(Exception):
    """The SMTP session could not be opened; every message waiting now waits for a retry."""


class SmtpConnection:
    """One SMTP session reused for many messages, opened on first use, reopened if dropped."""

    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None
        self.opened = 0

    def send(self, email: EmailMessage, message: OutboxMessage) -> None:
        if self.smtp is None:
            try:
                self.smtp = self._open()
            except (OSError, smtplib.SMTPException) as error:
                raise MailServerUnavailable(str(error) or type(error).__name__) from error
        try:
            self.smtp.send_message(email)
        except MESSAGE_ERRORS:
            raise
        except (OSError, smtplib.SMTPException):
            self.close()  # the session is in an unknown state: the next message reconnects
            raise

    def _open(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"],
                            timeout=config["MAIL_TIMEOUT"])
        self.opened += 1
        try:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self.smtp is None:
            return
        smtp, self.smtp = self.smtp, None
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


class FolderConnection:
    """Development without a mail server: each message becomes an .eml file in MAIL_FOLDER."""

    opened = 0

    def __init__(self, config):
        self.folder = Path(config["MAIL_FOLDER"])

    def send(self, email: EmailMessage, message: OutboxMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{message.created_at:%Y%m%dT%H%M%S}-{message.id:06d}.eml"
        path.write_bytes(bytes(email))
        # Never the body: reset and invitation mails carry links that sign people in.
        log.info("Mail %s written to %s", message.id, path)

    def close(self) -> None:
        pass


def _due(now, *, include_waiting: bool) -> list:
    conditions = [OutboxMessage.status == OutboxStatus.PENDING,
                  or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until <= now)]
    if not include_waiting:
        conditions.append(or_(OutboxMessage.next_attempt_at.is_(None),
                              OutboxMessage.next_attempt_at <= now))
    return conditions


def claim_due(limit: int = BATCH_SIZE, *, include_waiting: bool = False,
              after_id: int = 0) -> list[int]:
    """Claim up to `limit` due messages for this worker and commit the claim; return their ids.

    The conditional UPDATE settles two workers reaching for the same message: only one of
    them gets it back from RETURNING.
    """
    now = utcnow()
    due = [*_due(now, include_waiting=include_waiting), OutboxMessage.id > after_id]
    candidates = list(db.session.scalars(
        select(OutboxMessage.id).where(*due).order_by(OutboxMessage.id).limit(limit)))
    if not candidates:
        db.session.commit()
        return []
    claimed = db.session.scalars(
        update(OutboxMessage).where(OutboxMessage.id.in_(candidates), *due)
        .values(locked_until=now + CLAIM_LEASE)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)).all()
    db.session.commit()
    return sorted(claimed) or claim_due(limit, include_waiting=include_waiting,
                                        after_id=candidates[-1])


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: doubling, capped at an hour."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** min(attempts - 1, 20),
                                 LONGEST_RETRY_SECONDS))


def _record_sent(message: OutboxMessage) -> None:
    message.attempts += 1
    message.status = OutboxStatus.SENT
    message.sent_at = utcnow()
    message.last_error = None
    message.locked_until = None
    message.next_attempt_at = None


def _record_failure(message: OutboxMessage, error: BaseException) -> None:
    message.attempts += 1
    message.last_error = str(error)[:500] or type(error).__name__
    message.locked_until = None
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
    else:
        message.next_attempt_at = utcnow() + retry_delay(message.attempts)
    log.warning("Mail %s not sent (attempt %s): %s", message.id, message.attempts,
                message.last_error)


def _discard(message: OutboxMessage) -> None:
    message.status = OutboxStatus.DISCARDED
    message.last_error = "Mail is disabled (PORTFOLIO_MAIL_DISABLED=1)."
    message.locked_until = None


def _open_connection(config):
    return SmtpConnection(config) if config.get("MAIL_SERVER") else FolderConnection(config)


def _deliver_claimed(ids: list[int], connection, report: DeliveryReport) -> bool:
    """Send the claimed messages in order, committing each outcome as it happens.

    Return False when the mail server could not be reached (the rest of the batch waits).
    """
    disabled = current_app.config.get("MAIL_DISABLED")
    server_down: MailServerUnavailable | None = None
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
        .execution_options(populate_existing=True)).all()
    for message in messages:
        if message.status != OutboxStatus.PENDING:
            continue  # handled since the claim
        if disabled:
            _discard(message)
        elif server_down is not None:
            _record_failure(message, server_down)
            report.failed += 1
        else:
            try:
                connection.send(build_email(message), message)
            except MailServerUnavailable as error:
                server_down = error
                _record_failure(message, error)
                report.failed += 1
            except (OSError, smtplib.SMTPException) as error:
                _record_failure(message, error)
                report.failed += 1
            else:
                _record_sent(message)
                report.sent += 1
        db.session.commit()
    return server_down is None


def deliver_due(*, include_waiting: bool = False) -> DeliveryReport:
    """Deliver every message that is due now over as few connections as possible.

    With `include_waiting`, messages waiting for a retry go too (an operator's manual run).
    Each message is tried at most once per call.
    """
    before_delivery.send(current_app._get_current_object())
    db.session.commit()
    connection = _open_connection(current_app.config)
    report = DeliveryReport()
    last_id = 0
    try:
        while ids := claim_due(include_waiting=include_waiting, after_id=last_id):
            last_id = ids[-1]
            if not _deliver_claimed(ids, connection, report):
                break
    finally:
        connection.close()
        report.connections = connection.opened
    return report


def pending_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.status == OutboxStatus.PENDING)) or 0


def send_outbox() -> tuple[int, int]:
    """Send every pending message now, retries included; return (sent, still pending)."""
    report = deliver_due(include_waiting=True)
    return report.sent, pending_count()
