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


def test_hsts_and_secure_cookies_when_https_is_on(make_app, monkeypatch):
    """Configured as a deployment is (PORTFOLIO_* variables), the sign-in cookie is Secure."""
    from tests.factories import PASSWORD

    monkeypatch.setenv("PORTFOLIO_ENV", "production")
    monkeypatch.setenv("PORTFOLIO_HTTPS", "1")
    monkeypatch.setenv("PORTFOLIO_MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("PORTFOLIO_ALLOW_SQLITE_IN_PRODUCTION", "1")
    app = make_app(TESTING=False, SECRET_KEY="s" * 40)
    assert app.config["PORTFOLIO_ENV"] == "production"
    with app.app_context():
        make_user("coach@example.test")
        db.session.commit()
    client = app.test_client()
    page = client.get("/account/login", base_url="https://portfolio.test")
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    response = client.post("/account/login", base_url="https://portfolio.test",
                           data={"email": "coach@example.test", "password": PASSWORD})
    assert response.status_code == 302
    cookies = [value for value in response.headers.getlist("Set-Cookie")
               if value.startswith("portfolio_session=")]
    assert len(cookies) == 1, response.headers.getlist("Set-Cookie")
    attributes = {part.strip().split("=")[0].lower() for part in cookies[0].split(";")[1:]}
    assert {"secure", "httponly", "samesite", "path"} <= attributes, cookies[0]
    assert "SameSite=Lax" in cookies[0] and "Path=/" in cookies[0]
    # It is the cookie the session runs on (a browser then sends it over https only).
    assert client.get("/privacy/my-data", base_url="https://portfolio.test").status_code == 200


def test_session_cookie_is_httponly_and_samesite(app, client):
    make_user("coach@example.test")
    db.session.commit()
    from tests.factories import PASSWORD

    response = client.post("/account/login", data={"email": "coach@example.test",
                                                   "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("portfolio_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in development: a Secure cookie would be lost


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
