"""An app that trusts the test provider, and one whole sign-in driven through it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit, urlunsplit

from portfolio.extensions import db
from tests.sso.provider import CLIENT_ID, CLIENT_SECRET, sign_in_at_provider


def sso_config(issuer: str, **overrides) -> dict:
    return {"SSO_ISSUER": issuer, "SSO_CLIENT_ID": CLIENT_ID, "SSO_CLIENT_SECRET": CLIENT_SECRET,
            "SSO_PROVIDER_NAME": "Federation ID", **overrides}


@dataclass
class Started:
    client: object
    authorization_url: str

    @property
    def params(self) -> dict[str, str]:
        return {key: values[0] for key, values in parse_qs(urlsplit(self.authorization_url).query).items()}

    def with_params(self, **changes) -> str:
        """The authorization URL with some parameters replaced (a tampered request)."""
        parts = urlsplit(self.authorization_url)
        query = parse_qs(parts.query)
        query.update({key: [value] for key, value in changes.items()})
        from urllib.parse import urlencode
        return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))


def start(client, next_url: str | None = None) -> Started:
    response = client.post("/sso/login" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return Started(client, response.headers["Location"])


def come_back(client, callback_url: str):
    """Follow the provider's redirect to the app's callback on this client."""
    parts = urlsplit(callback_url)
    response = client.get(f"{parts.path}?{parts.query}")
    db.session.expire_all()
    return response


def sign_in(client, account: str, next_url: str | None = None):
    started = start(client, next_url)
    return come_back(client, sign_in_at_provider(started.authorization_url, account))


def signed_in_as(client):
    """The person the client's session belongs to, by asking the app."""
    with client.session_transaction() as session:
        return session.get("_user_id")
