"""What the sign-in page offers, and which password routes a deployment without passwords shuts.

A password route is shut here, before auth's views run, so auth keeps no knowledge of SSO.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, request

from .settings import passwords_allowed, sso_settings

PASSWORD_ENDPOINTS = frozenset({"auth.forgot_password", "auth.reset_password",
                                "auth.change_password", "auth.accept_invitation"})


@dataclass(frozen=True)
class SignInOffer:
    provider_name: str
    passwords: bool


def sign_in_offer() -> SignInOffer | None:
    """The "Sign in with ..." button's facts, or None when this deployment has no provider."""
    settings = sso_settings()
    if settings is None:
        return None
    return SignInOffer(settings.provider_name, passwords_allowed())


def password_route_closed():
    """Refuse a route that sets or uses a local password when passwords are off.

    The sign-in page itself still shows (with the provider's button); a password sent to it
    is refused before auth's view runs, so no attempt is checked against a stored hash.
    """
    if passwords_allowed():
        return
    if request.endpoint in PASSWORD_ENDPOINTS:
        abort(404)
    if request.endpoint == "auth.login" and request.method == "POST":
        abort(403)
