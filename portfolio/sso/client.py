"""The OpenID Connect relying party, through Authlib: the authorization code flow with PKCE.

Authlib keeps each sign-in's state, nonce and PKCE verifier in the signed session cookie under
the `state` value, and on the way back refuses an unknown state, sends the verifier with the
code, and verifies the ID token: its signature against the provider's published keys, and its
iss (this deployment's issuer, not whatever the metadata says), aud, exp, iat and nonce claims.

Authlib, with requests and cryptography under it, is imported when a sign-in starts, not with
the app: it is about 16 MB in every process (web workers, the export and mail workers), and
most deployments never use single sign-on.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from ..auth.services import external_url
from .settings import SsoSettings, sso_settings

KEY = "portfolio.sso"
SCOPES = "openid email profile"
HTTP_TIMEOUT_SECONDS = 10


class SignInRefused(Exception):
    """The provider's answer failed a check; `reason` is a short code for the audit log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class VerifiedIdentity:
    """The claims of an ID token whose signature and claims were checked."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None


def _remote_app(app: Flask, settings: SsoSettings):
    """The Authlib client for the configured provider, made once per app and settings."""
    held = app.extensions.get(KEY)
    if held is not None and held[0] == settings:
        return held[1]
    from authlib.integrations.flask_client import OAuth

    oauth = OAuth()
    oauth.init_app(app)
    remote = oauth.register(
        name="sso", overwrite=True,
        client_id=settings.client_id, client_secret=settings.client_secret,
        server_metadata_url=f"{settings.issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": SCOPES, "code_challenge_method": "S256",
                       "default_timeout": HTTP_TIMEOUT_SECONDS},
    )
    app.extensions[KEY] = (settings, remote)
    return remote


def _checked_remote():
    from requests import RequestException

    settings = sso_settings()
    if settings is None:
        raise SignInRefused("not_configured")
    remote = _remote_app(current_app, settings)
    try:
        metadata = remote.load_server_metadata()
    except (RequestException, ValueError) as error:
        raise SignInRefused("provider_unreachable") from error
    # OpenID Connect Discovery 4.3: the document must name the issuer it was fetched for.
    if metadata.get("issuer", "").rstrip("/") != settings.issuer:
        remote.server_metadata.clear()
        raise SignInRefused("wrong_issuer")
    return settings, remote


def callback_url() -> str:
    return external_url("sso.callback")


def start_sign_in():
    """Remember a new state, nonce and PKCE verifier; answer with a redirect to the provider."""
    _, remote = _checked_remote()
    return remote.authorize_redirect(callback_url())


def finish_sign_in() -> VerifiedIdentity:
    """Check the provider's answer, exchange the code and verify the ID token; or refuse."""
    from authlib.integrations.base_client.errors import OAuthError
    from joserfc.errors import JoseError
    from requests import RequestException

    settings, remote = _checked_remote()
    options = {"iss": {"essential": True, "values": [settings.issuer]},
               "sub": {"essential": True}}
    try:
        token = remote.authorize_access_token(claims_options=options,
                                              leeway=settings.clock_skew_seconds)
    except OAuthError as error:
        raise SignInRefused(_reason(error)) from error
    except JoseError as error:
        claim = getattr(error, "claim", None)
        raise SignInRefused(f"id_token_{error.error}" + (f"_{claim}" if claim else "")) from error
    except RequestException as error:
        raise SignInRefused("provider_unreachable") from error
    claims = token.get("userinfo")
    if not claims:
        raise SignInRefused("no_id_token")
    profile = claims if "email" in claims else _userinfo(remote, token, claims["sub"])
    return VerifiedIdentity(
        issuer=settings.issuer, subject=str(claims["sub"]),
        email=profile.get("email"), email_verified=profile.get("email_verified") is True,
        name=profile.get("name"))


def _userinfo(remote, token: dict, subject: str) -> dict:
    """The profile claims a provider keeps out of the ID token (OpenID Connect Core 5.4).

    They count only for the ID token's own subject (Core 5.3.2: a different `sub` is refused).
    """
    from authlib.integrations.base_client.errors import OAuthError
    from requests import RequestException

    try:
        profile = remote.userinfo(token=token)
    except (OAuthError, RequestException, ValueError) as error:
        raise SignInRefused("userinfo_failed") from error
    if str(profile.get("sub")) != str(subject):
        raise SignInRefused("userinfo_subject_mismatch")
    return profile


def _reason(error) -> str:
    code = getattr(error, "error", None) or "refused"
    return str(code)[:40]
