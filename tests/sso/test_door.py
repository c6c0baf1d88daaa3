"""Single sign-on is no weaker a door than a password: the throttle counts its refusals, and two
first sign-ins of one person at the same moment link one provider account, never two."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from portfolio.extensions import db
from portfolio.sso.models import SsoIdentity
from tests.factories import make_user
from tests.live import Browser, LiveSite, together
from tests.sso.builders import sign_in, signed_in_as
from tests.sso.provider import sign_in_at_provider


def test_refused_sign_ins_count_towards_the_throttle(sso_app, oidc_provider):
    app = sso_app(oidc_provider, LOGIN_FREE_FAILURES=1,
                  LOGIN_FIRST_DELAY_SECONDS=600)
    make_user("una@example.test", "Una")
    db.session.commit()
    assert sign_in(app.test_client(), "una").status_code == 403
    client = app.test_client()
    throttled = sign_in(client, "una")
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    assert signed_in_as(client) is None


def test_password_failures_hold_back_the_provider_door_too(sso_app, oidc_provider):
    app = sso_app(oidc_provider, LOGIN_FREE_FAILURES=1,
                  LOGIN_FIRST_DELAY_SECONDS=600)
    make_user("ada@example.test", "Ada Lovelace")
    db.session.commit()
    client = app.test_client()
    wrong = client.post("/account/login", data={"email": "ada@example.test",
                                                "password": "not her password"})
    assert wrong.status_code == 401
    assert sign_in(client, "ada").status_code == 429
    assert db.session.scalars(select(SsoIdentity)).all() == []


def test_two_first_sign_ins_at_once_link_one_provider_account(sso_app, oidc_provider):
    app = sso_app(oidc_provider)
    ada = make_user("ada@example.test", "Ada Lovelace")
    db.session.commit()
    with LiveSite(app) as site:
        browsers = [Browser(site.url) for _ in range(2)]
        paths = []
        for browser in browsers:
            started = browser.post("/sso/login", {})
            assert started.status == 302
            back = urlsplit(sign_in_at_provider(started.headers["location"], "ada"))
            paths.append(f"{back.path}?{back.query}")
        answers = together(2, lambda n: browsers[n].get(paths[n]))
    statuses = sorted(answer.status for answer in answers)
    # The loser either finds the winner's link (signed in too) or is asked to try again.
    assert statuses in ([302, 302], [302, 409]), statuses
    db.session.expire_all()
    [identity] = db.session.scalars(select(SsoIdentity)).all()
    assert identity.user_id == ada.id


def test_a_link_made_by_the_same_provider_account_meanwhile_signs_in(sso_app, oidc_provider,
                                                                      monkeypatch):
    """The interleaving the race above can take: this sign-in looked for the provider account's
    link before the other one committed it, then finds the link on the person. It is the same
    provider account, so this is a sign-in, not "linked to a different account"."""
    from portfolio.sso import services

    app = sso_app(oidc_provider)
    ada = make_user("ada@example.test", "Ada Lovelace")
    db.session.commit()
    sign_in(app.test_client(), "ada")  # the winner's link, committed
    monkeypatch.setattr(services, "identity_for", lambda issuer, subject: None)
    client = app.test_client()
    assert sign_in(client, "ada").status_code == 302
    assert signed_in_as(client) is not None
    [identity] = db.session.scalars(select(SsoIdentity)).all()
    assert identity.subject == "ada" and identity.user_id == ada.id
