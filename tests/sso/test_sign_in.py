"""Signing in through a real OpenID Connect provider: linking, provisioning and the session."""

from __future__ import annotations

from sqlalchemy import select

from portfolio.audit.models import AuditEvent
from portfolio.auth.models import LoginAttempt, User
from portfolio.extensions import db
from portfolio.sso.models import SsoIdentity
from tests.factories import make_user
from tests.sso.builders import sign_in, signed_in_as, start
from tests.sso.provider import sign_in_at_provider


def identities():
    return db.session.scalars(select(SsoIdentity)).all()


def test_first_sign_in_links_the_account_with_the_verified_address(sso_app, oidc_provider):
    app = sso_app(oidc_provider)
    ada = make_user("ada@example.test", "Ada Lovelace")
    db.session.commit()
    client = app.test_client()

    response = sign_in(client, "ada", next_url="/account/settings")

    assert response.status_code == 302
    assert response.headers["Location"] == "/account/settings"
    assert signed_in_as(client) == ada.session_token
    [identity] = identities()
    assert (identity.user_id, identity.subject) == (ada.id, "ada")
    assert identity.issuer == oidc_provider.issuers["main"]
    page = client.get("/account/settings")
    assert page.status_code == 200 and "Ada Lovelace" in page.get_data(as_text=True)
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "login.succeeded")).all()
    assert [event.target_id for event in events] == [ada.id]
    assert "method=sso" in events[0].summary
    assert db.session.scalar(select(LoginAttempt.succeeded)) is True


def test_the_session_starts_fresh_and_the_pair_is_used_afterwards(sso_app, oidc_provider):
    app = sso_app(oidc_provider)
    ada = make_user("ada@example.test", "Ada Lovelace")
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by someone before sign-in"
    sign_in(client, "ada")
    with client.session_transaction() as session:
        assert "planted" not in session
    # Her address changes here; the provider's subject still finds her account.
    ada.email = "ada.lovelace@example.test"
    db.session.commit()
    other = app.test_client()
    assert sign_in(other, "ada").status_code == 302
    assert signed_in_as(other) == ada.session_token
    assert len(identities()) == 1


def test_a_verified_address_nobody_uses_is_refused_unless_provisioning_is_on(
        sso_app, oidc_provider):
    app = sso_app(oidc_provider)
    response = sign_in(app.test_client(), "newt")
    assert response.status_code == 403
    assert "invite you" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "newt@example.test")) is None


def test_provisioning_creates_an_account_in_no_cohort(sso_app, oidc_provider):
    app = sso_app(oidc_provider, SSO_PROVISION=True)
    client = app.test_client()
    response = sign_in(client, "newt")
    assert response.status_code == 302
    newt = db.session.scalar(select(User).where(User.email == "newt@example.test"))
    assert newt.display_name == "Newt Newcomer" and not newt.has_password
    assert signed_in_as(client) == newt.session_token
    assert not newt.is_admin and not newt.is_programme_lead
    from portfolio.programmes.models import CohortMembership
    assert db.session.scalars(select(CohortMembership).where(
        CohortMembership.user_id == newt.id)).all() == []
    home = client.get("/home", follow_redirects=True)
    assert home.status_code == 200


def test_a_deactivated_account_cannot_sign_in_through_the_provider(sso_app, oidc_provider):
    app = sso_app(oidc_provider)
    dee = make_user("dee@example.test", "Dee")
    dee.active = False
    db.session.commit()
    client = app.test_client()
    assert sign_in(client, "dee").status_code == 403
    assert signed_in_as(client) is None


def test_another_subject_claiming_a_linked_address_is_refused(sso_app, oidc_provider):
    app = sso_app(oidc_provider)
    ada = make_user("ada@example.test", "Ada Lovelace")
    db.session.commit()
    sign_in(app.test_client(), "ada")
    client = app.test_client()
    response = sign_in(client, "ada-again")
    assert response.status_code == 403
    assert signed_in_as(client) is None
    assert [identity.subject for identity in identities()] == ["ada"]
    assert ada.id


def test_the_request_to_the_provider_uses_pkce_state_and_nonce(sso_app, oidc_provider):
    app = sso_app(oidc_provider)
    params = start(app.test_client()).params
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43
    assert len(params["state"]) >= 20 and len(params["nonce"]) >= 20
    assert params["redirect_uri"] == "http://portfolio.test/sso/callback"
    assert params["scope"] == "openid email profile"
    assert params["response_type"] == "code"


def test_an_invited_person_takes_up_the_invitation_by_signing_in(sso_app, oidc_provider):
    from portfolio.programmes.models import CohortMembership
    from tests.factories import add_member, make_cohort

    app = sso_app(oidc_provider)
    lead = make_user(name="Lee Lead", lead=True)
    cohort = make_cohort()
    from portfolio.auth.services import invite_user
    ivy, _ = invite_user("ivy@example.test", "Ivy", invited_by=lead)
    membership = add_member(cohort, ivy, status="invited")
    db.session.commit()
    assert sign_in(app.test_client(), "ivy").status_code == 302
    db.session.refresh(membership)
    assert membership.status == "active"
    assert db.session.get(CohortMembership, membership.id).status == "active"


def test_the_provider_sends_back_the_same_state_it_was_given(sso_app, oidc_provider):
    app = sso_app(oidc_provider)
    started = start(app.test_client())
    callback = sign_in_at_provider(started.authorization_url, "ada")
    assert f"state={started.params['state']}" in callback


def test_claims_carried_in_the_id_token_itself_are_used(sso_app, oidc_provider):
    app = sso_app(oidc_provider, "rich")
    ada = make_user("ada@example.test", "Ada Lovelace")
    db.session.commit()
    client = app.test_client()
    assert sign_in(client, "ada").status_code == 302
    assert signed_in_as(client) == ada.session_token
