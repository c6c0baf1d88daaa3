"""What the app refuses, each driven through the real provider: a forged or replayed answer,
another issuer's token, an expired token, a nonce or state that is not this sign-in's, an
address the provider has not verified."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from portfolio.audit.models import AuditEvent
from portfolio.auth.models import User
from portfolio.extensions import db
from portfolio.sso.client import KEY
from portfolio.sso.models import SsoIdentity
from tests.factories import make_user
from tests.sso.builders import come_back, sign_in, signed_in_as, start
from tests.sso.provider import sign_in_at_provider

REFUSED = "Sign-in not completed"


def refusals() -> list[str]:
    return [event.summary for event in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "login.failed")
        .order_by(AuditEvent.id))]


def assert_refused(client, response, status=400):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert REFUSED in response.get_data(as_text=True)
    assert signed_in_as(client) is None
    assert db.session.scalars(select(SsoIdentity)).all() == []


def with_ada(sso_app, provider, issuer="main", **config):
    app = sso_app(provider, issuer, **config)
    make_user("ada@example.test", "Ada Lovelace")
    db.session.commit()
    return app


def test_a_state_the_app_did_not_issue_is_refused(sso_app, oidc_provider):
    client = with_ada(sso_app, oidc_provider).test_client()
    started = start(client)
    forged = started.with_params(state="state-chosen-by-an-attacker-000000")
    assert_refused(client, come_back(client, sign_in_at_provider(forged, "ada")))
    assert "reason=mismatching_state" in refusals()[-1]


def test_a_nonce_that_is_not_this_sign_ins_is_refused(sso_app, oidc_provider):
    client = with_ada(sso_app, oidc_provider).test_client()
    started = start(client)
    # Same state and PKCE challenge, so the code is redeemed; only the ID token's nonce differs.
    injected = started.with_params(nonce="nonce-chosen-by-an-attacker-0000")
    assert_refused(client, come_back(client, sign_in_at_provider(injected, "ada")))
    assert "nonce" in refusals()[-1]


def test_a_replayed_code_is_refused(sso_app, oidc_provider):
    app = with_ada(sso_app, oidc_provider)
    first, second = app.test_client(), app.test_client()
    started = start(first)
    # A copy of the browser's session cookie, so the replay passes the state check and the
    # provider itself is asked to redeem the same code a second time.
    cookie = first.get_cookie("portfolio_session")
    second.set_cookie("portfolio_session", cookie.value, domain=cookie.domain)
    callback = sign_in_at_provider(started.authorization_url, "ada")
    assert come_back(first, callback).status_code == 302
    replay = come_back(second, callback)
    assert replay.status_code == 400 and REFUSED in replay.get_data(as_text=True)
    assert signed_in_as(second) is None
    assert "reason=invalid_grant" in refusals()[-1]


def test_the_callback_cannot_be_used_twice_in_one_browser(sso_app, oidc_provider):
    app = with_ada(sso_app, oidc_provider)
    client = app.test_client()
    callback = sign_in_at_provider(start(client).authorization_url, "ada")
    assert come_back(client, callback).status_code == 302
    other = app.test_client()
    assert_refused_page = come_back(other, callback)
    assert assert_refused_page.status_code == 400
    assert signed_in_as(other) is None


def test_an_expired_id_token_is_refused(sso_app, lagging_provider):
    client = with_ada(sso_app, lagging_provider).test_client()
    response = sign_in(client, "ada")
    assert_refused(client, response)
    assert "reason=id_token_" in refusals()[-1] and "exp" in refusals()[-1]


def test_a_token_from_another_issuer_is_refused(sso_app, oidc_provider):
    """A mix-up: the code is redeemed at an impostor that signs with the same key, so only the
    ID token's iss claim tells the tokens apart."""
    app = with_ada(sso_app, oidc_provider)
    client = app.test_client()
    main, impostor = oidc_provider.issuers["main"], oidc_provider.issuers["impostor"]
    started = start(client)
    metadata = app.extensions[KEY][1].server_metadata
    metadata["token_endpoint"] = metadata["token_endpoint"].replace(main, impostor)
    at_impostor = started.authorization_url.replace(main, impostor)
    callback = sign_in_at_provider(at_impostor, "ada")
    assert_refused(client, come_back(client, callback))
    assert "iss" in refusals()[-1]


def test_a_provider_whose_discovery_names_another_issuer_is_not_used(make_app, oidc_provider):
    main = oidc_provider.issuers["main"]
    port = urlsplit(main).port
    app = make_app(SSO_ISSUER=f"http://localhost:{port}", SSO_CLIENT_ID="portfolio",
                   SSO_CLIENT_SECRET="x" * 32)
    response = app.test_client().post("/sso/login")
    assert response.status_code == 503
    assert REFUSED in response.get_data(as_text=True)


def test_an_unverified_address_links_to_nothing(sso_app, oidc_provider):
    app = sso_app(oidc_provider)
    make_user("una@example.test", "Una")
    db.session.commit()
    client = app.test_client()
    response = sign_in(client, "una")
    assert_refused(client, response, status=403)
    assert "not verified your email" in response.get_data(as_text=True)
    assert "reason=email_unverified" in refusals()[-1]


def test_an_unverified_address_is_not_provisioned_either(sso_app, oidc_provider):
    app = sso_app(oidc_provider, SSO_PROVISION=True)
    client = app.test_client()
    assert_refused(client, sign_in(client, "una"), status=403)
    assert db.session.scalar(select(User).where(User.email == "una@example.test")) is None


def test_a_token_signed_with_another_key_is_refused(sso_app, oidc_provider):
    """The forger names the app's issuer, the app as audience and this sign-in's nonce: only
    the signature, checked against the issuer's published keys, gives it away."""
    app = with_ada(sso_app, oidc_provider)
    client = app.test_client()
    main, forger = oidc_provider.issuers["main"], oidc_provider.issuers["forger"]
    started = start(client)
    metadata = app.extensions[KEY][1].server_metadata
    metadata["token_endpoint"] = metadata["token_endpoint"].replace(main, forger)
    callback = sign_in_at_provider(started.authorization_url.replace(main, forger), "ada")
    assert_refused(client, come_back(client, callback))
    assert "reason=id_token_bad_signature" in refusals()[-1]
