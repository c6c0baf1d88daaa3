"""Reads for single sign-on: the identity a provider's (issuer, subject) pair names."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..auth.models import AccountToken, TokenPurpose
from ..database import utcnow
from ..extensions import db
from .models import SsoIdentity


def identity_for(issuer: str, subject: str) -> SsoIdentity | None:
    return db.session.scalar(
        select(SsoIdentity).options(joinedload(SsoIdentity.user))
        .where(SsoIdentity.issuer == issuer, SsoIdentity.subject == subject))


def identity_of(user_id: int, issuer: str) -> SsoIdentity | None:
    return db.session.scalar(select(SsoIdentity).where(
        SsoIdentity.user_id == user_id, SsoIdentity.issuer == issuer))


def live_invitation(user_id: int) -> AccountToken | None:
    return db.session.scalar(
        select(AccountToken).where(
            AccountToken.user_id == user_id, AccountToken.purpose == TokenPurpose.INVITE,
            AccountToken.used_at.is_(None), AccountToken.expires_at > utcnow())
        .order_by(AccountToken.id.desc()).limit(1))
