"""OAuth 2.0 client credentials (RFC 6749 section 4.4): a registered system trades its id and
secret for a short-lived bearer token."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote

from flask import request

from ..extensions import db
from .blueprint import bp
from .problems import problem
from .schemas import Problem, TokenRequest, TokenResponse
from .services import CLIENT_TOKEN_LIFETIME, ClientRefused, issue_client_token

REFUSED = {"schema": Problem, "content_type": "application/problem+json"}


def _basic_credentials() -> tuple[str | None, str | None]:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    client_id, _, secret = decoded.partition(":")
    return unquote(client_id), unquote(secret)


@bp.route("/oauth/token", methods=["POST"])
@bp.arguments(TokenRequest, location="form")
@bp.response(200, TokenResponse)
@bp.alt_response(400, description="Bad grant or scope", **REFUSED)
@bp.alt_response(401, description="Unknown client or wrong secret", **REFUSED)
@bp.alt_response(422, description="A field is not valid", **REFUSED)
def token(form):
    """Issue a bearer token to a client system (HTTP Basic or client_id/client_secret in the
    form); it reads as granted, for one hour."""
    client_id, secret = _basic_credentials()
    if client_id is None:
        client_id, secret = form.get("client_id"), form.get("client_secret")
    try:
        issued, secret_out = issue_client_token(client_id, secret, form.get("scope"))
    except ClientRefused as refused:
        db.session.rollback()
        headers = {"WWW-Authenticate": 'Basic realm="api"'} if refused.status == 401 else {}
        return problem(refused.status, refused.description, headers=headers,
                       error=refused.code)
    db.session.commit()
    return {"access_token": secret_out, "token_type": "Bearer",  # nosec B105 - a scheme name
            "expires_in": int(CLIENT_TOKEN_LIFETIME.total_seconds()),
            "scope": " ".join(issued.scopes)}
