"""Signing in: the same answer for unknown email and wrong password, throttling, safe next."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portfolio.auth.models import LoginAttempt
from portfolio.extensions import db
from tests.factories import PASSWORD, make_user


def post_login(client, email, password=PASSWORD, **query):
    return client.post("/account/login", query_string=query,
                       data={"email": email, "password": password})


def test_login_page_renders_with_labels(client):
    page = client.get("/account/login")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<label class="label" for="email">Email address</label>' in html
    assert '<label class="label" for="password">Password</label>' in html


def test_correct_password_signs_in_case_insensitively(app, client):
    make_user("coach@example.test")
    db.session.commit()
    response = post_login(client, "  Coach@Example.TEST ")
    assert response.status_code == 302
    assert client.get("/account/settings").status_code == 200


def test_wrong_password_and_unknown_email_give_the_same_message(app, client):
    make_user("coach@example.test")
    db.session.commit()
    wrong = post_login(client, "coach@example.test", "not the password")
    unknown = post_login(client, "nobody@example.test", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "Enter a correct email address and password." in wrong.get_data(as_text=True)
    assert "Enter a correct email address and password." in unknown.get_data(as_text=True)
    assert client.get("/account/settings").status_code == 302


def test_deactivated_user_cannot_sign_in(app, client):
    make_user("gone@example.test", active=False)
    db.session.commit()
    assert post_login(client, "gone@example.test").status_code == 401


def test_invited_user_without_password_cannot_sign_in(app, client):
    make_user("new@example.test", password=False)
    db.session.commit()
    assert post_login(client, "new@example.test", "").status_code == 400
    assert post_login(client, "new@example.test", "anything-at-all").status_code == 401


def test_throttle_engages_after_repeated_failures_and_says_when(app, client):
    make_user("coach@example.test")
    db.session.commit()
    free = app.config["LOGIN_FREE_FAILURES"]
    for _ in range(free):
        assert post_login(client, "coach@example.test", "wrong-password").status_code == 401
    blocked = post_login(client, "coach@example.test")  # from here even the right password waits
    assert blocked.status_code == 429
    assert blocked.headers["Retry-After"] == "5"
    assert "Try again in 5 seconds" in blocked.get_data(as_text=True)


def test_throttle_holds_across_two_app_instances_sharing_the_database(make_app):
    first, second = make_app(), make_app()
    with first.app_context():
        make_user("coach@example.test")
        db.session.commit()
    free = first.config["LOGIN_FREE_FAILURES"]
    # Alternate between the two "hosts" as a load balancer would.
    for attempt in range(free):
        host = first if attempt % 2 else second
        assert post_login(host.test_client(), "coach@example.test", "wrong").status_code == 401
    for host in (first, second):
        assert post_login(host.test_client(), "coach@example.test").status_code == 429


def test_throttle_delay_passes_so_it_is_never_permanent(app, client):
    make_user("coach@example.test")
    db.session.commit()
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        post_login(client, "coach@example.test", "wrong")
    assert post_login(client, "coach@example.test").status_code == 429
    for attempt in db.session.scalars(select(LoginAttempt)):
        attempt.created_at -= timedelta(seconds=6)
    db.session.commit()
    assert post_login(client, "coach@example.test").status_code == 302


def test_failed_attempts_are_recorded_for_the_throttle(app, client):
    post_login(client, "nobody@example.test", "x" * 12)
    count = db.session.scalar(select(func.count()).select_from(LoginAttempt))
    assert count == 1


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "http:/evil.example",
    "javascript:alert(1)", "/\r\nLocation: https://evil.example",
])
def test_open_redirects_are_refused(app, client, target):
    make_user("coach@example.test")
    db.session.commit()
    response = post_login(client, "coach@example.test", next=target)
    assert response.status_code == 302
    assert response.headers["Location"] in ("/home", "http://localhost/home")


def test_safe_next_is_followed(app, client):
    make_user("coach@example.test")
    db.session.commit()
    response = post_login(client, "coach@example.test", next="/account/settings?tab=1")
    assert response.headers["Location"].endswith("/account/settings?tab=1")


def test_login_starts_a_fresh_session(app, client):
    make_user("coach@example.test")
    db.session.commit()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    post_login(client, "coach@example.test")
    with client.session_transaction() as session:
        assert "planted" not in session
