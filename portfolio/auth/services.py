"""Account rules: sign-in with throttling, passwords, reset and invitation links."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from functools import cache

from blinker import Namespace
from flask import current_app
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit.services import record
from ..database import utcnow
from ..errors import DomainError
from ..extensions import db
from ..mail.services import queue_templated_mail
from .models import AccountToken, TokenPurpose, User
from .throttle import (
    ThrottledError,  # noqa: F401 - views catch it through this module
    check_throttle,
    record_attempt,
)

SIGN_IN_FAILED = "Enter a correct email address and password."
# Sent inside the accepting transaction, so features can act on what waited for the account
# (the programmes feature activates the invited memberships); accounts know nothing of them.
invitation_accepted = Namespace().signal("portfolio.auth.invitation-accepted")
MIN_PASSWORD_LENGTH = 10


class LinkUsedError(DomainError):
    """Another request spent this one-time link first."""

    def __init__(self):
        super().__init__("This link has expired or has already been used.")


def email_fingerprint(email: str) -> str:
    """A short keyed hash of an address: correlates failed sign-ins without storing the address."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()[:16]


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(email: str, display_name: str, password: str | None = None, *,
                is_admin: bool = False, is_programme_lead: bool = False) -> User:
    """Create an account (flush only); the email must not be in use."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise DomainError("An account with this email address already exists.", field="email")
    user = User(email=email, display_name=display_name.strip(), is_admin=is_admin,
                is_programme_lead=is_programme_lead)
    if password:
        check_password_strength(password, user)
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def check_password_strength(password: str, user: User | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters.",
                          field="password")
    if len(password) > 256:
        raise DomainError("Password must be 256 characters or fewer.", field="password")
    if user is not None and user.email and password.lower() == user.email.lower():
        raise DomainError("Password must not be your email address.", field="password")


# --- signing in -------------------------------------------------------------------------

def authenticate(email: str, password: str, address: str) -> User:
    """Return the user for a correct email and password, recording the attempt.

    Unknown email and wrong password raise the same error; password hashing runs in both
    cases so timing does not reveal which accounts exist.
    """
    email = normalise_email(email)[:254]
    address = (address or "unknown")[:64]
    check_throttle(email, address)
    user = find_user_by_email(email)
    if user is None or not user.has_password:
        check_password_hash(_dummy_hash(), password)
        ok = False
    else:
        ok = user.check_password(password) and user.is_active
    record_attempt(email, address, ok)
    if not ok:
        record("login.failed", actor=None, address=address, account=email_fingerprint(email))
        raise DomainError(SIGN_IN_FAILED)
    user.last_login_at = utcnow()
    record("login.succeeded", actor=user, target=user, address=address)
    return user


@cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16), method="scrypt")


def sign_out(user: User) -> None:
    """End every session of this user (the captured cookie stops working)."""
    user.end_all_sessions()
    record("logout", actor=user, target=user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password):
        raise DomainError("Your current password is not correct.", field="current_password")
    check_password_strength(new_password, user)
    user.set_password(new_password)
    user.end_all_sessions()
    record("password.changed", actor=user, target=user)


# --- single-use links -------------------------------------------------------------------

def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, purpose: TokenPurpose, lifetime: timedelta) -> str:
    """Create a single-use token for the user and return the raw value for the link."""
    raw = secrets.token_urlsafe(32)
    db.session.add(AccountToken(user=user, purpose=purpose, token_hash=_hash_token(raw),
                                expires_at=utcnow() + lifetime))
    db.session.flush()
    return raw


def find_valid_token(raw: str, purpose: str) -> AccountToken | None:
    """Return the unused, unexpired token with this value, or None."""
    if not raw or len(raw) > 200:
        return None
    token = db.session.scalar(select(AccountToken).where(
        AccountToken.token_hash == _hash_token(raw), AccountToken.purpose == purpose))
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    if purpose == TokenPurpose.RESET and not token.user.is_active:
        return None
    return token


def spend_token(token: AccountToken) -> None:
    """Mark the link used, with every other live link of its kind for the same person.

    Call it before any other write of the transaction: the conditional UPDATE is what settles
    two requests holding the same link (the second waits for the first's row lock, then finds
    nothing unused), and only the request that got this token back from it may go on.
    """
    now = utcnow()
    spent = db.session.scalars(
        update(AccountToken)
        .where(AccountToken.user_id == token.user_id, AccountToken.purpose == token.purpose,
               AccountToken.used_at.is_(None))
        .values(used_at=now)
        .returning(AccountToken.id)
        .execution_options(synchronize_session=False)).all()
    if token.id not in spent or token.expires_at <= now:
        raise LinkUsedError()
    db.session.expire(token, ["used_at"])


def external_url(endpoint: str, **values) -> str:
    """Build an absolute link from the configured BASE_URL, never the request's Host header."""
    base = current_app.config["BASE_URL"].rstrip("/")
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base + path


def send_password_reset(user: User) -> None:
    """Issue a reset link and queue the mail that carries it (the worker calls this)."""
    hours = current_app.config["RESET_TOKEN_HOURS"]
    raw = issue_token(user, TokenPurpose.RESET, timedelta(hours=hours))
    link = external_url("auth.reset_password", token=raw)
    queue_templated_mail(user.email, "password_reset", user=user, hours=hours, link=link)
    record("password.reset_requested", actor=None, target=user)


def reset_password(token: AccountToken, new_password: str) -> User:
    """Spend the reset link and set the new password; LinkUsedError if it was spent already."""
    user = token.user
    check_password_strength(new_password, user)
    spend_token(token)
    user.set_password(new_password)
    user.end_all_sessions()
    record("password.reset", actor=user, target=user)
    return user


def _expire_other_tokens(user: User, purpose: TokenPurpose) -> None:
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose,
               AccountToken.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session="fetch"))


def invite_user(email: str, display_name: str, *, invited_by: User,
                context: str = "the Advanced Coach programme") -> tuple[User, bool]:
    """Invite a person by email; return (user, created). Existing accounts are not re-invited."""
    user = find_user_by_email(email)
    if user is not None:
        return user, False
    user = create_user(email, display_name or email.split("@")[0])
    send_invitation(user, invited_by=invited_by, context=context)
    return user, True


def send_invitation(user: User, *, invited_by: User, context: str) -> None:
    days = current_app.config["INVITE_TOKEN_DAYS"]
    _expire_other_tokens(user, TokenPurpose.INVITE)
    raw = issue_token(user, TokenPurpose.INVITE, timedelta(days=days))
    link = external_url("auth.accept_invitation", token=raw)
    queue_templated_mail(user.email, "invitation", invited_by=invited_by, context=context,
                         days=days, link=link)
    record("user.invited", actor=invited_by, target=user)


def accept_invitation(token: AccountToken, display_name: str, password: str) -> User:
    """Spend the invitation and set the account up; LinkUsedError if it was spent already."""
    user = token.user
    if not display_name.strip():
        raise DomainError("Enter your name.", field="display_name")
    check_password_strength(password, user)
    spend_token(token)
    user.display_name = display_name.strip()
    user.set_password(password)
    user.end_all_sessions()
    record("user.invitation_accepted", actor=user, target=user)
    invitation_accepted.send(user)
    return user
