"""Sessions really end: a cookie captured earlier stops working after each of these events."""

from http.cookies import SimpleCookie

import pytest

from portfolio.admin.services import deactivate
from portfolio.auth import services
from portfolio.extensions import db
from tests.factories import PASSWORD, make_user


def signed_in_client(app, email):
    client = app.test_client()
    response = client.post("/account/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    cookie = SimpleCookie(response.headers["Set-Cookie"])
    return client, cookie[app.config["SESSION_COOKIE_NAME"]].value


def replay(app, cookie_value):
    """A different browser presenting the captured cookie."""
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie_value)
    return thief.get("/account/settings")


@pytest.fixture
def coach(app):
    user = make_user("coach@example.test")
    db.session.commit()
    return user


def test_captured_cookie_works_while_signed_in(app, coach):
    _, cookie = signed_in_client(app, coach.email)
    assert replay(app, cookie).status_code == 200


def test_logout_is_post_only(app, coach):
    client, _ = signed_in_client(app, coach.email)
    assert client.get("/account/logout").status_code == 405


def test_cookie_captured_before_logout_stops_working(app, coach):
    client, cookie = signed_in_client(app, coach.email)
    assert client.post("/account/logout").status_code == 302
    response = replay(app, cookie)
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_cookie_captured_before_password_change_stops_working(app, coach):
    client, cookie = signed_in_client(app, coach.email)
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "password": "a brand new passphrase",
        "confirm": "a brand new passphrase"})
    assert response.status_code == 302
    assert replay(app, cookie).status_code == 302
    # the person who changed it stays signed in on this device
    assert client.get("/account/settings").status_code == 200


def test_cookie_captured_before_password_reset_stops_working(app, coach):
    _, cookie = signed_in_client(app, coach.email)
    raw = services.issue_token(coach, "reset", services.timedelta(hours=1))
    db.session.commit()
    other = app.test_client()
    response = other.post(f"/account/reset/{raw}", data={
        "password": "another long passphrase", "confirm": "another long passphrase"})
    assert response.status_code == 302
    assert replay(app, cookie).status_code == 302


def test_cookie_captured_before_deactivation_stops_working(app, coach):
    admin = make_user(admin=True)
    db.session.commit()
    _, cookie = signed_in_client(app, coach.email)
    deactivate(admin, db.session.get(type(coach), coach.id))
    db.session.commit()
    assert replay(app, cookie).status_code == 302


def test_wrong_current_password_is_refused_by_the_field(app, coach):
    client, _ = signed_in_client(app, coach.email)
    response = client.post("/account/password", data={
        "current_password": "not it at all", "password": "a brand new passphrase",
        "confirm": "a brand new passphrase"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your current password is not correct." in html
    assert 'href="#current_password"' in html
