"""Every response carries the security headers; every POST needs a CSRF token."""

import pytest

from portfolio.extensions import db
from tests.factories import csrf_token_from, make_user


@pytest.mark.parametrize("path", ["/account/login", "/no-such-page", "/healthz",
                                  "/static/css/app.css"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # only over HTTPS


def test_hsts_and_secure_cookies_when_https_is_on(make_app):
    app = make_app(HTTPS=True, SESSION_COOKIE_SECURE=True)
    response = app.test_client().get("/account/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_session_cookie_is_httponly_and_samesite(app, client):
    make_user("coach@example.test")
    db.session.commit()
    from tests.factories import PASSWORD

    response = client.post("/account/login", data={"email": "coach@example.test",
                                                   "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_are_not_cached(client):
    assert client.get("/account/login").headers["Cache-Control"] == "no-store"


def test_post_without_csrf_token_gets_the_friendly_400_page(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/account/login", data={"email": "a@example.test",
                                                              "password": "whatever-it-is"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The form had expired" in html
    assert "Traceback" not in html


def test_post_with_csrf_token_is_accepted(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = csrf_token_from(client.get("/account/login").get_data(as_text=True))
    response = client.post("/account/login", data={"csrf_token": token,
                                                   "email": "a@example.test",
                                                   "password": "whatever-it-is"})
    assert response.status_code == 401  # reached the login check


def test_csrf_token_does_not_expire_with_time(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None
