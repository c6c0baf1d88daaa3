"""Bearer-token access for API routes: who the request acts as, what its token allows, and
its rate limit. Cookies are never read: a browser's session grants nothing here."""

from __future__ import annotations

from functools import wraps

from flask import g, request

from ..extensions import db
from .blueprint import bp
from .problems import ApiProblem
from .ratelimit import count_request
from .schemas import Problem
from .scopes import grants
from .services import Principal, TokenRefused, authenticate

ERRORS = {401: "No valid bearer token (missing, unknown, expired or revoked).",
          403: "The token's scopes do not cover this resource.",
          429: "Too many requests for this token; wait for Retry-After seconds."}


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def authorise(resource: str, access: str) -> Principal:
    """Check the token, count the request, then check the scope; commit the count."""
    try:
        principal = authenticate(bearer_secret())
    except TokenRefused as refused:
        db.session.rollback()
        raise ApiProblem(401, str(refused), {"WWW-Authenticate": 'Bearer realm="api"'}) from None
    allowed, left, retry_after = count_request(principal.token.id)
    db.session.commit()  # the count and last use stand whatever the request does next
    if not allowed:
        raise ApiProblem(429, ERRORS[429], {"Retry-After": str(retry_after)})
    g.api_rate = (left, retry_after)
    if not grants(principal.scopes, resource, access):
        raise ApiProblem(403, f"This token may not {access} {resource}.", {
            "WWW-Authenticate": f'Bearer error="insufficient_scope" scope="{access}:{resource}"'})
    return principal


def current_principal() -> Principal:
    return g.api_principal


def api_access(resource: str, access: str = "read"):
    """Route decorator: a token with `<access>:<resource>` scope, within its rate limit."""

    def decorator(view):
        for status, description in ERRORS.items():
            view = bp.alt_response(status, schema=Problem, description=description,
                                   content_type="application/problem+json")(view)
        view = bp.doc(security=[{"bearerAuth": [f"{access}:{resource}"]}])(view)

        @wraps(view)
        def wrapped(*args, **kwargs):
            # Reload what the principal holds in this request's session after the commit.
            g.api_principal = authorise(resource, access)
            return view(*args, **kwargs)

        wrapped.api_scope = (resource, access)
        return wrapped

    return decorator
