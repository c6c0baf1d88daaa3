"""The sign-in throttle: growing delays per account *and* address, kept in the database.

The rules (README, "Sign-in throttle"), checked before the password:
- An address with no recent failures for an account may always try that account. This is what
  keeps an attacker from locking the owner out: the owner's own address stays clean.
- Failures for one account from one address earn a growing delay: the first few are free, then
  each further attempt waits twice as long as the last, up to a ceiling.
- An address with very many failures in the last hour (spraying many accounts) may still make a
  first try at an account, but nothing more until the hour has passed.
- An account failing from many addresses at once (a distributed guess) gets delays after the
  first failure of each address instead of after the first few. That only slows: it never
  touches an address that has not failed for the account.

Attempts that overlap can slip past a check together; each still counts as a failure, so the
next delay is longer by exactly that much.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from ..database import utcnow
from ..errors import DomainError
from ..extensions import db
from ..wording import plural
from .models import LoginAttempt

HOUR = timedelta(hours=1)


class ThrottledError(DomainError):
    """Too many failed sign-ins for this account from this address; wait `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__("Too many failed sign-in attempts for this account from your network. "
                         f"Try again in {wait_in_words(retry_after)}.")
        self.retry_after = retry_after


def wait_in_words(seconds: int) -> str:
    if seconds < 60:
        return plural(seconds, "second")
    return plural(math.ceil(seconds / 60), "minute")


def pair_failures(email: str, address: str, now: datetime) -> tuple[int, datetime | None]:
    """Failures for this account from this address since its last success there (remembered
    for LOGIN_MEMORY_HOURS); return (how many, when the latest was)."""
    success = aliased(LoginAttempt)
    last_success = (select(func.max(success.created_at))
                    .where(success.email == email, success.address == address,
                           success.succeeded.is_(True))
                    .scalar_subquery())
    since = now - timedelta(hours=current_app.config["LOGIN_MEMORY_HOURS"])
    count, latest = db.session.execute(
        select(func.count(), func.max(LoginAttempt.created_at))
        .where(LoginAttempt.email == email, LoginAttempt.address == address,
               LoginAttempt.succeeded.is_(False), LoginAttempt.created_at > since,
               or_(last_success.is_(None), LoginAttempt.created_at > last_success))
    ).one()
    return count, latest


def _address_wait(address: str, now: datetime) -> float:
    """Seconds until this address is back under the hourly cap on failures (0 if under it)."""
    cap = current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    tipping = db.session.scalar(
        select(LoginAttempt.created_at)
        .where(LoginAttempt.address == address, LoginAttempt.succeeded.is_(False),
               LoginAttempt.created_at > now - HOUR)
        .order_by(LoginAttempt.created_at.desc()).offset(cap - 1).limit(1))
    return 0.0 if tipping is None else (tipping + HOUR - now).total_seconds()


def _account_under_attack(email: str, now: datetime) -> bool:
    failures = db.session.scalar(
        select(func.count()).select_from(LoginAttempt)
        .where(LoginAttempt.email == email, LoginAttempt.succeeded.is_(False),
               LoginAttempt.created_at > now - HOUR))
    return failures >= current_app.config["LOGIN_ACCOUNT_ALERT_FAILURES"]


def pair_delay(failures: int, free: int) -> timedelta:
    """The wait after the latest failure: none while free, then doubling up to the ceiling."""
    config = current_app.config
    if failures < free:
        return timedelta(0)
    seconds = config["LOGIN_FIRST_DELAY_SECONDS"] * 2 ** min(failures - free, 30)
    return min(timedelta(seconds=seconds), timedelta(minutes=config["LOGIN_MAX_DELAY_MINUTES"]))


def _pair_wait(email: str, failures: int, latest: datetime, now: datetime) -> float:
    free = current_app.config["LOGIN_FREE_FAILURES"]
    if failures < free and _account_under_attack(email, now):
        free = 1
    return (latest + pair_delay(failures, free) - now).total_seconds()


def check_throttle(email: str, address: str, now: datetime | None = None) -> None:
    """Raise ThrottledError if this account may not be tried from this address just now."""
    now = now or utcnow()
    failures, latest = pair_failures(email, address, now)
    if failures == 0:
        return  # an address that has not failed for this account is never held back
    wait = max(_address_wait(address, now), _pair_wait(email, failures, latest, now))
    if wait > 0:
        raise ThrottledError(max(1, math.ceil(wait)))


def record_attempt(email: str, address: str, succeeded: bool) -> None:
    db.session.add(LoginAttempt(email=email, address=address, succeeded=succeeded))
