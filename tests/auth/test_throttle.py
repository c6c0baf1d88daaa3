"""The sign-in throttle cannot be turned against the account's owner.

Delays grow per (account, address); an address with no recent failures for an account is never
held back; a spraying address keeps only first tries; an account failing from many addresses is
slowed, not locked. Failures are planted as rows where a test needs many of them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portfolio.auth.models import LoginAttempt
from portfolio.auth.throttle import ThrottledError, check_throttle
from portfolio.database import utcnow
from portfolio.extensions import db
from tests.factories import PASSWORD, make_user

ATTACKER = "198.51.100.66"
OWNER_HOME = "203.0.113.10"
OWNER = "owner@example.test"


def post_login(client, email, password=PASSWORD, address=ATTACKER):
    return client.post("/account/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def plant_failures(email, address, count, *, ago=timedelta(0), spread=timedelta(seconds=1)):
    now = utcnow() - ago
    for n in range(count):
        db.session.add(LoginAttempt(email=email, address=address, succeeded=False,
                                    created_at=now - spread * n))
    db.session.commit()


def wait_for(email, address, now=None) -> int:
    """Seconds the throttle asks this pair to wait now (0: may try)."""
    try:
        check_throttle(email, address, now)
    except ThrottledError as error:
        return error.retry_after
    return 0


@pytest.fixture
def owner(app):
    user = make_user(OWNER)
    db.session.commit()
    return user


def test_an_attack_from_one_address_never_delays_the_owner_elsewhere(app, client, owner):
    plant_failures(OWNER, ATTACKER, 300, spread=timedelta(seconds=30))
    attacked = post_login(client, OWNER)  # even the right password waits at the attacker's
    assert attacked.status_code == 429
    assert int(attacked.headers["Retry-After"]) > 60
    assert post_login(app.test_client(), OWNER, address=OWNER_HOME).status_code == 302


def test_the_owner_signing_in_does_not_reset_the_attackers_count(app, client, owner):
    plant_failures(OWNER, ATTACKER, 8)
    assert post_login(app.test_client(), OWNER, address=OWNER_HOME).status_code == 302
    assert post_login(client, OWNER).status_code == 429


def test_a_success_from_an_address_clears_that_address_only(app, client, owner):
    plant_failures(OWNER, OWNER_HOME, 4, ago=timedelta(minutes=1))
    assert post_login(client, OWNER, address=OWNER_HOME).status_code == 302
    plant_failures(OWNER, OWNER_HOME, 4)
    assert wait_for(OWNER, OWNER_HOME) == 0  # four since the success: still free


def test_the_delay_doubles_with_each_failure_up_to_the_ceiling(app):
    config = app.config
    free, first = config["LOGIN_FREE_FAILURES"], config["LOGIN_FIRST_DELAY_SECONDS"]
    ceiling = config["LOGIN_MAX_DELAY_MINUTES"] * 60
    waits = []
    for failures in range(1, free + 12):
        db.session.add(LoginAttempt(email=OWNER, address=ATTACKER, succeeded=False))
        db.session.commit()
        waits.append(wait_for(OWNER, ATTACKER))
    assert waits[:free - 1] == [0] * (free - 1)
    growing = waits[free - 1:]
    assert growing[:4] == [pytest.approx(first * 2 ** n, abs=1) for n in range(4)]
    assert max(growing) == pytest.approx(ceiling, abs=1)
    assert growing == sorted(growing)


def test_a_delay_is_counted_from_the_latest_failure(app):
    plant_failures(OWNER, ATTACKER, 5)
    latest = db.session.scalar(select(LoginAttempt.created_at)
                               .order_by(LoginAttempt.created_at.desc()))
    first = app.config["LOGIN_FIRST_DELAY_SECONDS"]
    assert wait_for(OWNER, ATTACKER, latest + timedelta(seconds=first - 1)) == 1
    assert wait_for(OWNER, ATTACKER, latest + timedelta(seconds=first)) == 0


def test_failures_are_forgotten_after_the_memory_window(app, client, owner):
    plant_failures(OWNER, ATTACKER, 50,
                   ago=timedelta(hours=app.config["LOGIN_MEMORY_HOURS"], minutes=1))
    assert post_login(client, OWNER).status_code == 302


def test_a_spraying_address_keeps_first_tries_only(app, client, owner):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    for n in range(3):
        assert post_login(client, f"guess{n}@example.test", "wrong").status_code == 401
    # A first try at another account from the same address: a right password works ...
    assert post_login(client, OWNER).status_code == 302
    # ... and a wrong one is checked like any other.
    assert post_login(app.test_client(), "guess9@example.test", "wrong").status_code == 401
    # A second try at an account it already failed waits until the hour has passed.
    again = post_login(app.test_client(), "guess0@example.test", "wrong")
    assert again.status_code == 429
    assert 3000 < int(again.headers["Retry-After"]) <= 3600
    # Other addresses are not affected at all.
    other = post_login(app.test_client(), "guess0@example.test", "wrong", address=OWNER_HOME)
    assert other.status_code == 401


def test_an_account_failing_from_many_addresses_is_slowed_not_locked(app, client, owner):
    app.config["LOGIN_ACCOUNT_ALERT_FAILURES"] = 4
    for n in range(4):
        plant_failures(OWNER, f"192.0.2.{n}", 1)
    first = app.config["LOGIN_FIRST_DELAY_SECONDS"]
    # One failure from an address is now enough for a short wait there ...
    slowed = post_login(client, OWNER, address="192.0.2.0")
    assert slowed.status_code == 429
    assert 0 < int(slowed.headers["Retry-After"]) <= first
    for attempt in db.session.scalars(select(LoginAttempt)):
        attempt.created_at -= timedelta(seconds=first)
    db.session.commit()
    # ... which passes, and the owner at a clean address was never held back.
    assert post_login(app.test_client(), OWNER, address="192.0.2.0").status_code == 302
    assert post_login(app.test_client(), OWNER, address=OWNER_HOME).status_code == 302


def test_throttled_attempts_are_not_counted_as_failures(app, client, owner):
    plant_failures(OWNER, ATTACKER, 5)
    for _ in range(3):
        assert post_login(client, OWNER, "wrong").status_code == 429
    assert len(db.session.scalars(select(LoginAttempt)).all()) == 5
