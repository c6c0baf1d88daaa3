"""SQLite with another writer: requests wait for the lock, then get a clear 503; normal
concurrent load never sees "database is locked"."""

from __future__ import annotations

import sqlite3
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

import pytest
from sqlalchemy import select

from portfolio.auth.models import LoginAttempt, User
from portfolio.extensions import db
from tests.browser.conftest import LiveServer
from tests.conftest import USE_POSTGRES
from tests.factories import PASSWORD, make_user, sign_in

pytestmark = pytest.mark.skipif(USE_POSTGRES, reason="SQLite locking")


def _database_file(app) -> str:
    return db.engine.url.database


@pytest.fixture
def quick_app(make_app):
    """Wait one second for a lock rather than fifteen, so the test is quick."""
    return make_app(SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 1}})


def _hold_write_lock(app):
    with app.app_context():
        path = _database_file(app)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process is writing
    return other


def test_a_write_waits_for_the_lock_and_then_succeeds(quick_app):
    with quick_app.app_context():
        user = make_user()
        db.session.commit()
        client = sign_in(quick_app.test_client(), user)
        user_id = user.id
    other = _hold_write_lock(quick_app)
    threading.Timer(0.4, other.rollback).start()  # the other writer finishes soon
    started = time.monotonic()
    response = client.post("/account/settings", data={"email_preference": "off"})
    assert response.status_code == 302
    assert time.monotonic() - started >= 0.3  # it waited rather than failing at once
    with quick_app.app_context():
        assert db.session.get(User, user_id).email_preference == "off"


def test_a_write_still_locked_after_the_wait_gets_a_clear_503(quick_app):
    with quick_app.app_context():
        user = make_user()
        db.session.commit()
        client = sign_in(quick_app.test_client(), user)
        user_id = user.id
    other = _hold_write_lock(quick_app)
    try:
        response = client.post("/account/settings", data={"email_preference": "off"})
    finally:
        other.rollback()
        other.close()
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in body
    assert "locked" not in body and "Traceback" not in body
    with quick_app.app_context():
        assert db.session.get(User, user_id).email_preference == "immediate"
    # The lock is gone: the same request now works.
    assert client.post("/account/settings", data={"email_preference": "off"}).status_code == 302


def _signed_in_opener(url, email):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    data = urllib.parse.urlencode({"email": email, "password": PASSWORD}).encode()
    opener.open(f"{url}/account/login", data=data, timeout=60)
    return opener


def test_twenty_concurrent_writers_all_succeed(make_app):
    app = make_app()
    with app.app_context():
        emails = [make_user().email for _ in range(20)]
        db.session.commit()
    with LiveServer(app) as server:
        def sign_in_and_write(email):
            opener = _signed_in_opener(server.url, email)  # writes attempts + last login
            statuses = []
            for preference in ("off", "daily", "immediate", "off"):
                data = urllib.parse.urlencode({"email_preference": preference}).encode()
                try:
                    with opener.open(f"{server.url}/account/settings", data=data,
                                     timeout=60) as response:
                        statuses.append(response.status)
                except urllib.error.HTTPError as error:
                    statuses.append(error.code)
            return statuses

        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(pool.map(sign_in_and_write, emails))
    assert all(status == 200 for statuses in results for status in statuses), results
    with app.app_context():
        assert set(db.session.scalars(select(User.email_preference))) == {"off"}
        assert len(db.session.scalars(select(LoginAttempt).where(
            LoginAttempt.succeeded.is_(True))).all()) == 20


def test_a_request_that_reads_then_writes_is_not_failed_by_a_commit_in_between(make_app):
    """The classic SQLite trap: a transaction whose read snapshot went stale cannot write.

    If reads opened the transaction, a commit by another connection between the request's
    read and its write would make SQLite refuse the write at once ("database is locked",
    without waiting). The driver begins the transaction at the first write, so the write
    waits for the lock like any other; this guards against changing that.
    """
    app = make_app()
    with app.app_context():
        user = make_user()
        db.session.commit()
        client = sign_in(app.test_client(), user)
        path = _database_file(app)
    other_done = threading.Event()

    def other_writer():
        other = sqlite3.connect(path, timeout=1, isolation_level=None)
        try:
            other.execute("INSERT INTO login_attempts (email, address, succeeded, created_at) "
                          "VALUES ('x@example.test', '192.0.2.9', 0, '2026-01-01 00:00:00')")
        except sqlite3.OperationalError:
            pass  # it waited for our lock and gave up: that writer retries, not ours
        finally:
            other.close()
            other_done.set()

    def read_then_write():
        from flask_login import current_user

        current_user.display_name  # noqa: B018 - the read that starts the snapshot
        threading.Thread(target=other_writer).start()
        other_done.wait(5)
        current_user.email_preference = "daily"
        db.session.commit()
        return "saved"

    app.add_url_rule("/_read_then_write", "read_then_write", read_then_write,
                     methods=["POST"])
    response = client.post("/_read_then_write")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
