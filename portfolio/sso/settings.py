"""What the deployment configured for single sign-on (README, "Single sign-on")."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from ..config import ConfigurationError


@dataclass(frozen=True)
class SsoSettings:
    issuer: str
    client_id: str
    client_secret: str
    provider_name: str
    provision: bool
    clock_skew_seconds: int


def sso_settings(app: Flask | None = None) -> SsoSettings | None:
    """The provider this deployment signs people in with, or None when SSO is off."""
    config = (app or current_app).config
    if not config.get("SSO_ISSUER"):
        return None
    return SsoSettings(
        issuer=config["SSO_ISSUER"].rstrip("/"),
        client_id=config.get("SSO_CLIENT_ID") or "",
        client_secret=config.get("SSO_CLIENT_SECRET") or "",
        provider_name=config.get("SSO_PROVIDER_NAME") or "your organisation",
        provision=bool(config.get("SSO_PROVISION")),
        clock_skew_seconds=int(config.get("SSO_CLOCK_SKEW_SECONDS") or 0),
    )


def passwords_allowed(app: Flask | None = None) -> bool:
    return bool((app or current_app).config.get("PASSWORD_SIGN_IN", True))


def check_settings(app: Flask) -> None:
    """Refuse to start with a configuration that would lock everyone out or leak the secret."""
    settings = sso_settings(app)
    if settings is None:
        if not passwords_allowed(app):
            raise ConfigurationError("PORTFOLIO_PASSWORD_SIGN_IN=0 needs single sign-on: "
                                     "set PORTFOLIO_SSO_ISSUER and the client's id and secret.")
        return
    if not settings.client_id or not settings.client_secret:
        raise ConfigurationError("Single sign-on needs PORTFOLIO_SSO_CLIENT_ID and "
                                 "PORTFOLIO_SSO_CLIENT_SECRET as well as PORTFOLIO_SSO_ISSUER.")
    production = app.config.get("PORTFOLIO_ENV") == "production"
    if production and not settings.issuer.startswith("https://"):
        raise ConfigurationError("PORTFOLIO_SSO_ISSUER must be an https:// address in production.")
