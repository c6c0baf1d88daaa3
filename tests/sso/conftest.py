"""The provider processes, started once for the SSO tests and stopped when the run ends."""

from __future__ import annotations

import pytest

from portfolio.extensions import db
from tests.sso.builders import sso_config
from tests.sso.provider import start_provider


@pytest.fixture(scope="session")
def oidc_provider():
    """The provider the app trusts ("main"), an impostor sharing its signing key, and "rich",
    which puts email and name in the ID token rather than only at its userinfo endpoint, and a
    forger that claims main's issuer name but signs with a key of its own."""
    provider = start_provider(issuers=("main", "impostor", "rich", "forger=main"))
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def lagging_provider():
    """A provider whose clock is five minutes behind, with one-minute ID tokens: they arrive
    expired by four minutes, past the app's leeway (its own cookies still live long enough)."""
    provider = start_provider(clock_offset=-5 * 60, id_token_ttl=60)
    yield provider
    provider.stop()


@pytest.fixture
def sso_app(make_app):
    """Build an app trusting one of the provider's issuers, inside its app context for the test
    body (popped afterwards, so no transaction outlives the test)."""
    contexts = []

    def build(provider, issuer="main", **overrides):
        app = make_app(**sso_config(provider.issuers[issuer], **overrides))
        context = app.app_context()
        context.push()
        contexts.append(context)
        return app

    yield build
    for context in reversed(contexts):
        db.session.rollback()
        db.session.remove()
        context.pop()
