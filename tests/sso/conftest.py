"""The provider processes, started once for the SSO tests and stopped when the run ends."""

from __future__ import annotations

import pytest

from tests.sso.provider import start_provider


@pytest.fixture(scope="session")
def oidc_provider():
    """The provider the app trusts ("main"), an impostor sharing its signing key, and "rich",
    which puts email and name in the ID token rather than only at its userinfo endpoint."""
    provider = start_provider(issuers=("main", "impostor", "rich"))
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def lagging_provider():
    """A provider whose clock is five minutes behind, with one-minute ID tokens: they arrive
    expired by four minutes, past the app's leeway (its own cookies still live long enough)."""
    provider = start_provider(clock_offset=-5 * 60, id_token_ttl=60)
    yield provider
    provider.stop()
