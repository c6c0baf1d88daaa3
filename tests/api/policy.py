"""Authorization policy for the API (see tests/policy.py).

The matrix signs roles in with a session cookie: the API reads bearer tokens only, so every
API route answers 401 to every role there, signed in or not (a cookie grants nothing, and a
cross-site form cannot use it). What each role gets with a token of each kind is
tests/api/test_token_matrix.py. The document and the docs page are public; a person's token
page is theirs; client systems are for programme leads and admins.
"""

from __future__ import annotations

from tests.policy import EVERYONE, MANAGERS, SIGNED_IN, Route

ENTRY_TITLE = "Relay changeover notes for the API"


def setup(world):
    from portfolio.api import services
    from tests.factories import make_entry

    world.api_entry = make_entry(world.author, cohort=world.cohort, privacy="private",
                                 title=ENTRY_TITLE, published=False)
    world.api_token, _ = services.create_personal_token(world.author, "Spreadsheet", "read",
                                                        ["entries"], 30)
    world.api_client, _ = services.register_client(world.lead, "Federation LMS", ["cohorts"],
                                                   [world.year.id])


def _token_only(endpoint, path, method="GET", data=None, secret=None):
    return Route(endpoint, path, frozenset(), method=method, denied_status=401,
                 anonymous_status=401, data=data, secret=secret,
                 notes="bearer tokens only; cookies are never read")


def _token_form(world):
    return {"name": "My spreadsheet", "access": "read", "resources": ["years", "cohorts"],
            "days": "30"}


def _client_form(world):
    return {"name": "Regional LMS", "resources": ["cohorts", "progress"],
            "years": [str(world.year.id)]}


ROUTES = [
    Route("api_pages.openapi_json", lambda w: "/api/v1/openapi.json", EVERYONE),
    Route("api_pages.docs", lambda w: "/api/v1/docs", EVERYONE),
    Route("api_pages.tokens", lambda w: "/account/api-tokens", SIGNED_IN),
    Route("api_pages.tokens", lambda w: "/account/api-tokens", SIGNED_IN, method="POST",
          allowed_status=200, data=_token_form),
    Route("api_pages.revoke_token", lambda w: f"/account/api-tokens/{w.api_token.id}/revoke",
          frozenset({"author"}), method="POST", allowed_status=302,
          redirect_to="/account/api-tokens"),
    Route("api_pages.clients", lambda w: "/api/clients", MANAGERS, denied_status=403),
    Route("api_pages.clients", lambda w: "/api/clients", MANAGERS, method="POST",
          denied_status=403, allowed_status=200, data=_client_form),
    Route("api_pages.revoke_client", lambda w: f"/api/clients/{w.api_client.id}/revoke",
          MANAGERS, method="POST", denied_status=403, allowed_status=302,
          redirect_to="/api/clients"),
    _token_only("api.years", lambda w: "/api/v1/years"),
    _token_only("api.cohorts", lambda w: "/api/v1/cohorts"),
    _token_only("api.memberships", lambda w: "/api/v1/memberships"),
    _token_only("api.frameworks", lambda w: "/api/v1/frameworks"),
    _token_only("api.progress", lambda w: "/api/v1/progress"),
    _token_only("api.review_requests", lambda w: "/api/v1/review-requests"),
    _token_only("api.signoffs", lambda w: "/api/v1/signoffs"),
    _token_only("api.entries", lambda w: "/api/v1/entries"),
    _token_only("api.entry", lambda w: f"/api/v1/entries/{w.api_entry.id}",
                secret=lambda w: ENTRY_TITLE),
    _token_only("api.create_entry", lambda w: "/api/v1/entries", method="POST",
                data=lambda w: {"title": "Written through a cookie"}),
    _token_only("api.evidence", lambda w: "/api/v1/evidence"),
    _token_only("api.token", lambda w: "/api/v1/oauth/token", method="POST",
                data=lambda w: {"grant_type": "client_credentials"}),
]
