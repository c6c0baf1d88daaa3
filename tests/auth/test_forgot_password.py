"""Forgot password: the page does the same work whether or not the account exists, mails
nothing itself, and lets only a few resets through per address and per account an hour."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, func, select

from portfolio.auth.models import AccountToken, PasswordResetRequest
from portfolio.extensions import db
from portfolio.mail.models import OutboxMessage
from portfolio.mail.services import deliver_due
from tests.factories import make_user


def forgot(client, email, address="192.0.2.1"):
    return client.post("/account/forgot-password", data={"email": email},
                       environ_base={"REMOTE_ADDR": address})


@contextmanager
def statements():
    """Collect the SQL the application sends (text only; parameters differ by design)."""
    seen = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def page_text(response, email) -> str:
    return response.get_data(as_text=True).replace(email, "EMAIL")


def test_known_and_unknown_addresses_cost_the_same_statements(app, client):
    make_user("coach@example.test")
    db.session.commit()
    forgot(app.test_client(), "warm.up@example.test", "192.0.2.99")  # caches, first connect
    with statements() as known:
        known_page = forgot(client, "coach@example.test", "192.0.2.1")
    with statements() as unknown:
        unknown_page = forgot(client, "nobody@example.test", "192.0.2.2")
    assert known == unknown
    assert page_text(known_page, "coach@example.test") == page_text(unknown_page,
                                                                    "nobody@example.test")
    # Neither request looked the account up, made a link or queued mail: the worker does.
    assert not any("FROM users" in statement for statement in known)
    assert count(AccountToken) == 0 and count(OutboxMessage) == 0
    deliver_due()
    assert db.session.scalars(select(OutboxMessage.to_address)).all() == ["coach@example.test"]


def test_ten_requests_for_one_account_mail_three_links(app, client):
    make_user("coach@example.test")
    db.session.commit()
    pages = {page_text(forgot(client, "coach@example.test"), "coach@example.test")
             for _ in range(10)}
    assert len(pages) == 1  # the limit is silent: the same page every time
    deliver_due()
    limit = app.config["RESET_MAX_PER_ACCOUNT_PER_HOUR"]
    assert count(OutboxMessage) == limit == 3
    assert count(AccountToken) == limit


def test_the_account_limit_holds_whichever_address_asks(app, client):
    make_user("coach@example.test")
    db.session.commit()
    for n in range(10):
        forgot(client, "Coach@Example.test", f"192.0.2.{n}")
    deliver_due()
    assert count(OutboxMessage) == app.config["RESET_MAX_PER_ACCOUNT_PER_HOUR"]


def test_one_address_gets_a_few_resets_an_hour_whatever_accounts_it_names(app, client):
    for n in range(10):
        make_user(f"coach{n}@example.test")
    db.session.commit()
    for n in range(10):
        forgot(client, f"coach{n}@example.test")
    deliver_due()
    assert count(OutboxMessage) == app.config["RESET_MAX_PER_ADDRESS_PER_HOUR"]


def test_requests_an_hour_old_no_longer_count(app, client):
    from datetime import timedelta

    make_user("coach@example.test")
    db.session.commit()
    for _ in range(3):
        forgot(client, "coach@example.test")
    for request in db.session.scalars(select(PasswordResetRequest)):
        request.created_at -= timedelta(hours=1, seconds=1)
    db.session.commit()
    forgot(client, "coach@example.test")
    assert count(PasswordResetRequest) == 4


def test_the_worker_mails_only_active_accounts_with_a_password(app, client):
    make_user("active@example.test")
    make_user("gone@example.test", active=False)
    make_user("invited@example.test", password=False)
    db.session.commit()
    for n, email in enumerate(["active@example.test", "gone@example.test",
                               "invited@example.test", "nobody@example.test"]):
        forgot(client, email, f"192.0.2.{n}")
    deliver_due()
    assert db.session.scalars(select(OutboxMessage.to_address)).all() == ["active@example.test"]
    deliver_due()  # each request is handled once
    assert count(OutboxMessage) == 1
