"""The sign-in page per deployment: passwords only, passwords and the provider, or the provider
only; and configurations that would lock everyone out are refused at start-up."""

from __future__ import annotations

import pytest

from portfolio.config import ConfigurationError
from portfolio.extensions import db
from tests.factories import PASSWORD, make_user
from tests.sso.builders import sign_in, signed_in_as, sso_config

BUTTON = "Sign in with Federation ID"


def test_without_a_provider_the_page_has_no_button_and_the_routes_do_not_exist(client):
    page = client.get("/account/login").get_data(as_text=True)
    assert "Sign in with" not in page and 'name="password"' in page
    assert client.post("/sso/login").status_code == 404
    assert client.get("/sso/callback?code=x&state=y").status_code == 404


def test_with_a_provider_the_page_offers_both_doors(make_app):
    app = make_app(**sso_config("https://id.federation.example"))
    page = app.test_client().get("/account/login?next=/account/settings").get_data(as_text=True)
    assert BUTTON in page and 'name="password"' in page
    assert 'action="/sso/login?next=/account/settings"' in page


def test_passwords_switched_off_leave_only_the_provider(sso_app, oidc_provider):
    app = sso_app(oidc_provider, PASSWORD_SIGN_IN=False)
    ada = make_user("ada@example.test", "Ada Lovelace")
    db.session.commit()
    client = app.test_client()
    page = client.get("/account/login").get_data(as_text=True)
    assert BUTTON in page and 'name="password"' not in page
    assert "Forgotten your password" not in page
    refused = client.post("/account/login", data={"email": ada.email, "password": PASSWORD})
    assert refused.status_code == 403 and signed_in_as(client) is None
    for path in ("/account/forgot-password", "/account/reset/some-token",
                 "/account/invitation/some-token"):
        assert client.get(path).status_code == 404, path
    assert sign_in(client, "ada").status_code == 302
    assert signed_in_as(client) == ada.session_token
    assert client.get("/account/password").status_code == 404


def test_passwords_cannot_be_switched_off_without_a_provider(make_app):
    with pytest.raises(ConfigurationError, match="needs single sign-on"):
        make_app(PASSWORD_SIGN_IN=False)


def test_a_provider_needs_its_client_credentials(make_app):
    with pytest.raises(ConfigurationError, match="CLIENT_ID"):
        make_app(SSO_ISSUER="https://id.federation.example")


def test_production_refuses_a_provider_over_plain_http(make_app):
    with pytest.raises(ConfigurationError, match="https"):
        make_app(**sso_config("http://id.federation.example"), PORTFOLIO_ENV="production",
                 ALLOW_SQLITE_IN_PRODUCTION=True, MAIL_DISABLED=True)


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    from portfolio import create_app
    from portfolio.sso.settings import passwords_allowed, sso_settings
    from tests.conftest import base_config

    monkeypatch.setenv("PORTFOLIO_SSO_ISSUER", "https://id.federation.example/")
    monkeypatch.setenv("PORTFOLIO_SSO_CLIENT_ID", "portfolio")
    monkeypatch.setenv("PORTFOLIO_SSO_CLIENT_SECRET", "from-the-environment")
    monkeypatch.setenv("PORTFOLIO_SSO_PROVISION", "1")
    monkeypatch.setenv("PORTFOLIO_PASSWORD_SIGN_IN", "0")
    app = create_app(base_config(tmp_path, "sqlite://"))
    settings = sso_settings(app)
    assert settings.issuer == "https://id.federation.example" and settings.provision
    assert settings.client_secret == "from-the-environment"
    assert not passwords_allowed(app)
