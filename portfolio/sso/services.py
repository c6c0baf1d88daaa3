"""Signing in with a verified identity from the provider: link, provision or refuse.

The same door as a password: the sign-in throttle is asked first and told the outcome, the
audit log records success and failure, and the view starts the session through auth's
`start_session` (a fresh session cookie bound to the account's session token).
"""

from __future__ import annotations

from ..audit.services import record
from ..auth.models import User
from ..auth.services import (
    create_user,
    email_fingerprint,
    find_user_by_email,
    invitation_accepted,
    normalise_email,
    spend_token,
)
from ..auth.throttle import check_throttle, record_attempt
from ..database import utcnow
from ..errors import DomainError
from ..extensions import db
from .client import VerifiedIdentity
from .models import SsoIdentity
from .queries import identity_for, identity_of, live_invitation

NO_ACCOUNT = ("No portfolio account uses the email address your provider gave. Ask your "
              "programme lead to invite you with that address.")
UNVERIFIED = ("Your provider has not verified your email address, so it cannot be matched to "
              "a portfolio account. Verify it with your provider, then sign in again.")
DEACTIVATED = "This account cannot sign in. Contact your programme lead."
LINKED_ELSEWHERE = ("Your portfolio account is already linked to a different account at your "
                    "provider. Sign in with that one, or ask an admin for help.")
TRY_AGAIN = "Another sign-in for this account was finishing at the same moment. Try again."


class SsoRefused(DomainError):
    """The identity is genuine but may not sign in; `reason` is the audit log's code."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def sign_in_with_identity(identity: VerifiedIdentity, address: str, *,
                          provision: bool) -> User:
    """Return the account this verified identity signs in to, recording the attempt."""
    address = (address or "unknown")[:64]
    email = normalise_email(identity.email or "")[:254]
    known = identity_for(identity.issuer, identity.subject)
    throttle_key = known.user.email if known is not None else email
    check_throttle(throttle_key, address)
    try:
        user = (known.user if known is not None
                else _link_or_provision(identity, email, provision))
        if not user.is_active:
            raise SsoRefused(DEACTIVATED, "deactivated")
    except SsoRefused as refusal:
        refuse(refusal.reason, address=address, email=throttle_key)
        raise
    record_attempt(user.email, address, True)
    _mark_used(user, identity)
    user.last_login_at = utcnow()
    record("login.succeeded", actor=user, target=user, address=address, method="sso")
    return user


def refuse(reason: str, *, address: str, email: str = "") -> None:
    """Record a refused single sign-on (counted by the throttle when the account is known)."""
    if email:
        record_attempt(email, address, False)
    record("login.failed", actor=None, address=address, method="sso", reason=reason,
           **({"account": email_fingerprint(email)} if email else {}))


def _link_or_provision(identity: VerifiedIdentity, email: str, provision: bool) -> User:
    if not email or not identity.email_verified:
        raise SsoRefused(UNVERIFIED, "email_unverified")
    user = find_user_by_email(email)
    if user is None:
        if not provision:
            raise SsoRefused(NO_ACCOUNT, "no_account")
        # Provisioned people belong to no cohort until a lead adds them.
        user = create_user(email, identity.name or email.split("@")[0])
        record("user.provisioned", actor=user, target=user, method="sso")
    else:
        linked = identity_of(user.id, identity.issuer)
        if linked is not None:
            if linked.subject == identity.subject:
                # A sign-in of this same provider account committed the link after ours looked
                # for it: the link is the one we were about to make.
                return user
            raise SsoRefused(LINKED_ELSEWHERE, "linked_to_another_subject")
    _link(user, identity, email)
    return user


def _link(user: User, identity: VerifiedIdentity, email: str) -> None:
    # Two first sign-ins at once: the unique (issuer, subject) pair lets one flush; the other
    # raises IntegrityError, which the view answers with TRY_AGAIN.
    db.session.add(SsoIdentity(user=user, issuer=identity.issuer, subject=identity.subject,
                               email_at_link=email))
    db.session.flush()
    record("sso.linked", actor=user, target=user)
    invitation = live_invitation(user.id)
    if invitation is not None:
        # Signing in is how an invited person of an SSO deployment takes up the invitation.
        spend_token(invitation)
        record("user.invitation_accepted", actor=user, target=user, method="sso")
        invitation_accepted.send(user)


def _mark_used(user: User, identity: VerifiedIdentity) -> None:
    linked = identity_of(user.id, identity.issuer)
    if linked is not None:
        linked.last_used_at = utcnow()
