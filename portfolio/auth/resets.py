"""Forgotten passwords: the page queues the request, the background worker mails the link.

The page does the same work whatever was typed (two counts and at most one insert), so neither
its answer nor its timing says whether an account exists. Hourly limits per address and per
account stop anyone from flooding a mailbox with reset links; they apply silently.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from ..database import utcnow
from ..extensions import db
from .models import PasswordResetRequest
from .services import find_user_by_email, normalise_email, send_password_reset

BATCH_SIZE = 500
KEEP_HANDLED = timedelta(days=1)  # the limits look back an hour; keep a little more


def request_password_reset(email: str, address: str) -> None:
    """Queue a reset for the worker if this address and this email are under their limits."""
    email = normalise_email(email)[:254]
    address = (address or "unknown")[:64]
    config = current_app.config
    by_address, by_email = db.session.execute(
        select(func.count().filter(PasswordResetRequest.address == address),
               func.count().filter(PasswordResetRequest.email == email))
        .where(or_(PasswordResetRequest.address == address, PasswordResetRequest.email == email),
               PasswordResetRequest.created_at > utcnow() - timedelta(hours=1))
    ).one()
    if (by_address >= config["RESET_MAX_PER_ADDRESS_PER_HOUR"]
            or by_email >= config["RESET_MAX_PER_ACCOUNT_PER_HOUR"]):
        return
    db.session.add(PasswordResetRequest(email=email, address=address))
    db.session.flush()


def issue_requested_resets() -> int:
    """Mail a reset link for each queued request naming an active account (flush only).

    Each request is claimed by a conditional UPDATE, so two workers never mail it twice.
    Return how many links were queued.
    """
    now = utcnow()
    waiting = list(db.session.scalars(
        select(PasswordResetRequest.id).where(PasswordResetRequest.handled_at.is_(None))
        .order_by(PasswordResetRequest.id).limit(BATCH_SIZE)))
    if not waiting:
        return 0
    claimed = db.session.scalars(
        update(PasswordResetRequest)
        .where(PasswordResetRequest.id.in_(waiting), PasswordResetRequest.handled_at.is_(None))
        .values(handled_at=now)
        .returning(PasswordResetRequest.email)
        .execution_options(synchronize_session=False)).all()
    queued = 0
    for email in claimed:
        user = find_user_by_email(email)
        if user is not None and user.is_active and user.has_password:
            send_password_reset(user)
            queued += 1
    db.session.execute(delete(PasswordResetRequest)
                       .where(PasswordResetRequest.handled_at < now - KEEP_HANDLED)
                       .execution_options(synchronize_session=False))
    return queued


def queue_requested_resets(sender, **_) -> None:
    """Receiver of mail's before_delivery signal: reset links go out in the same pass."""
    issue_requested_resets()
