"""Making, checking and revoking API tokens and client registrations.

Services take the acting user explicitly, raise DomainError and only flush. A secret is shown
once, when it is made: only its SHA-256 is stored, so a copy of the database opens nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from ..access import is_manager
from ..audit.services import record
from ..database import utcnow
from ..errors import DomainError
from ..extensions import db
from ..programmes.models import ProgrammeYear
from .models import ApiClient, ApiToken, TokenKind
from .scopes import ACCESS_LEVELS, CLIENT_RESOURCES, RESOURCES, scopes_for

PERSONAL_PREFIX = "acp_"
CLIENT_TOKEN_PREFIX = "acc_"  # noqa: S105  # nosec B105 - a label, not a secret
EXPIRY_CHOICES = (7, 30, 90, 365)  # days a personal token may live
CLIENT_TOKEN_LIFETIME = timedelta(hours=1)
# Writing last-used on every request would make each read a write; once a minute is enough.
LAST_USE_RESOLUTION = timedelta(minutes=1)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: a person, and for a client system the years it may read."""

    token: ApiToken
    user: object  # the person (for a client token: the lead who registered the client)
    scopes: tuple
    year_ids: tuple | None  # None: no narrowing beyond the person's own access

    @property
    def is_client(self) -> bool:
        return self.token.kind == TokenKind.CLIENT


class TokenRefused(Exception):
    """The bearer token is missing, unknown, expired or revoked, or its owner lost access."""


# --- personal access tokens ---------------------------------------------------------------

def create_personal_token(actor, name: str, access: str, resources, days: int
                          ) -> tuple[ApiToken, str]:
    """Make a token acting as `actor`; return it and its secret (shown once)."""
    name = (name or "").strip()
    if not name:
        raise DomainError("Give the token a name, so you can tell it apart later.", field="name")
    if access not in ACCESS_LEVELS:
        raise DomainError("Choose read or read and write.", field="access")
    chosen = [item for item in resources if item in RESOURCES]
    if not chosen:
        raise DomainError("Choose at least one kind of data the token may read.",
                          field="resources")
    if days not in EXPIRY_CHOICES:
        raise DomainError("Choose when the token expires.", field="days")
    secret = PERSONAL_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(kind=TokenKind.PERSONAL, user_id=actor.id, name=name[:120],
                     token_hash=digest(secret), prefix=secret[:10],
                     scopes=scopes_for(access, chosen),
                     expires_at=utcnow() + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    record("api.token_created", actor=actor, target=actor, token=token.id)
    return token, secret


def revoke_token(actor, token: ApiToken) -> None:
    if token.user_id != actor.id or token.kind != TokenKind.PERSONAL:
        raise DomainError("That token is not yours.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        record("api.token_revoked", actor=actor, target=actor, token=token.id)


# --- client systems (OAuth 2.0 client credentials) ----------------------------------------

def register_client(actor, name: str, resources, year_ids) -> tuple[ApiClient, str]:
    """A lead registers a system; return it and its secret (shown once)."""
    if not is_manager(actor):
        raise DomainError("Only programme leads and admins register client systems.")
    name = (name or "").strip()
    if not name:
        raise DomainError("Name the system, such as the learning management system.",
                          field="name")
    chosen = [item for item in resources if item in CLIENT_RESOURCES]
    if not chosen:
        raise DomainError("Choose at least one kind of data the system may read.",
                          field="resources")
    years = set(db.session.scalars(select(ProgrammeYear.id).where(
        ProgrammeYear.id.in_([int(item) for item in year_ids]))))
    if not years:
        raise DomainError("Choose the programme years the system may read.", field="years")
    secret = secrets.token_urlsafe(32)
    client = ApiClient(client_id="cl_" + secrets.token_hex(8), secret_hash=digest(secret),
                       name=name[:120], created_by_id=actor.id,
                       scopes=scopes_for("read", chosen), year_ids=sorted(years))
    db.session.add(client)
    db.session.flush()
    record("api.client_registered", actor=actor, client=client.id)
    return client, secret


def revoke_client(actor, client: ApiClient) -> None:
    """Stop a client system: its secret and every token it was issued stop working."""
    if not is_manager(actor):
        raise DomainError("Only programme leads and admins revoke client systems.")
    now = utcnow()
    if client.revoked_at is None:
        client.revoked_at = now
        db.session.execute(update(ApiToken).where(ApiToken.client_id == client.id,
                                                  ApiToken.revoked_at.is_(None))
                           .values(revoked_at=now).execution_options(synchronize_session=False))
        db.session.flush()
        record("api.client_revoked", actor=actor, client=client.id)


class ClientRefused(Exception):
    """OAuth error code and description for POST /oauth/token (RFC 6749 section 5.2)."""

    def __init__(self, code: str, description: str, status: int = 400):
        super().__init__(description)
        self.code, self.description, self.status = code, description, status


def issue_client_token(client_id: str, secret: str, requested: str | None
                       ) -> tuple[ApiToken, str]:
    """Check a client's credentials and issue a short-lived bearer token."""
    client = db.session.scalar(select(ApiClient).where(ApiClient.client_id == (client_id or "")))
    expected = client.secret_hash if client is not None else digest("no such client")
    matches = hmac.compare_digest(expected, digest(secret or ""))
    if client is None or not matches or client.is_revoked or not _still_manager(client):
        raise ClientRefused("invalid_client", "Unknown client, wrong secret, or revoked.", 401)
    scopes = list(client.scopes)
    if requested:
        wanted = requested.split()
        if any(item not in client.scopes for item in wanted):
            raise ClientRefused("invalid_scope", "A requested scope was not granted.")
        scopes = wanted
    secret_out = CLIENT_TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(kind=TokenKind.CLIENT, user_id=client.created_by_id, client_id=client.id,
                     name=client.name, token_hash=digest(secret_out), prefix=secret_out[:10],
                     scopes=scopes, expires_at=now + CLIENT_TOKEN_LIFETIME)
    client.last_used_at = now
    db.session.add(token)
    db.session.flush()
    return token, secret_out


def _still_manager(client: ApiClient) -> bool:
    lead = client.created_by
    return bool(lead and lead.active and lead.erased_at is None
                and (lead.is_admin or lead.is_programme_lead))


# --- checking a bearer token --------------------------------------------------------------

def authenticate(secret: str | None) -> Principal:
    """The principal a bearer secret acts as, or TokenRefused."""
    if not secret:
        raise TokenRefused("No bearer token was sent.")
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    now = utcnow()
    if token is None:
        raise TokenRefused("The token is not known.")
    if token.revoked_at is not None:
        raise TokenRefused("The token was revoked.")
    if now >= token.expires_at:
        raise TokenRefused("The token has expired.")
    user = token.user
    if user is None or not user.active or user.erased_at is not None:
        raise TokenRefused("The token's account is no longer active.")
    year_ids = None
    if token.kind == TokenKind.CLIENT:
        client = token.client
        if client is None or client.is_revoked or not _still_manager(client):
            raise TokenRefused("The client system was revoked.")
        year_ids = tuple(client.year_ids)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_RESOLUTION:
        token.last_used_at = now
    return Principal(token=token, user=user, scopes=tuple(token.scopes), year_ids=year_ids)
