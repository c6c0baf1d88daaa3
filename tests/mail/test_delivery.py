"""Mail leaves through the worker: requests only queue it; the worker sends many messages over
one SMTP connection, retries with a growing back-off, never sends a message twice, and never
writes a message body to the log."""

from __future__ import annotations

import logging
import re
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portfolio.database import utcnow
from portfolio.extensions import db
from portfolio.mail.models import OutboxMessage
from portfolio.mail.services import deliver_due, queue_mail, retry_delay
from portfolio.mail.worker import deliver_mail_once
from tests.factories import make_scenario, make_user
from tests.live import together
from tests.mail.smtp_stub import SmtpStub
from tests.programmes.builders import csv_bytes, upload

IMPORT_ROWS = 400


def statuses() -> dict[str, int]:
    rows = db.session.execute(select(OutboxMessage.status, func.count())
                              .group_by(OutboxMessage.status))
    return dict(rows.all())


def queue(count: int, prefix: str = "person") -> None:
    for n in range(count):
        queue_mail(f"{prefix}{n}@example.test", f"Hello {n}", f"Body {n}")
    db.session.commit()


@pytest.fixture
def smtp(app):
    with SmtpStub() as stub:
        stub.configure(app)
        yield stub


def test_a_large_member_import_queues_its_invitations_and_the_worker_sends_them(app, smtp):
    from tests.factories import sign_in

    world = make_scenario()
    world.cohort.capacity = 500
    db.session.commit()
    client = sign_in(app.test_client(), world.lead)
    rows = [[f"new.person{n}@example.org", f"New Person {n}", "candidate", "", ""]
            for n in range(IMPORT_ROWS)]
    staged = upload(client, f"/programme/cohorts/{world.cohort.id}/import", csv_bytes(rows))
    preview = client.get(staged.headers["Location"]).get_data(as_text=True)
    confirm = re.search(r'action="([^"]+/confirm)"', preview).group(1)
    done = client.post(confirm)
    assert done.status_code == 302
    # The request opened no SMTP session and wrote no mail: everything waits in the outbox.
    assert smtp.connections == 0
    assert list(Path(app.config["MAIL_FOLDER"]).glob("*.eml")) == []
    assert statuses() == {"pending": IMPORT_ROWS}

    report = deliver_due()
    assert report.sent == IMPORT_ROWS
    assert smtp.connections == 1  # one session for all of them
    assert sorted(smtp.recipients()) == sorted(row[0] for row in rows)
    assert statuses() == {"sent": IMPORT_ROWS}


def test_a_refused_recipient_waits_for_a_retry_while_the_rest_go(app, smtp):
    smtp.server.refuse = ("bounce@example.test",)
    queue_mail("first@example.test", "One", "Body")
    queue_mail("bounce@example.test", "Two", "Body")
    queue_mail("last@example.test", "Three", "Body")
    db.session.commit()
    report = deliver_due()
    assert (report.sent, report.failed, smtp.connections) == (2, 1, 1)
    bounced = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.to_address == "bounce@example.test"))
    assert bounced.status == "pending" and bounced.attempts == 1
    assert bounced.next_attempt_at > utcnow() + timedelta(seconds=50)


def test_the_worker_backs_off_while_the_server_is_down_then_delivers(app, smtp):
    queue(5)
    port = smtp.port
    app.config["MAIL_PORT"] = port + 1 if port < 65535 else port - 1  # nothing listens there
    report = deliver_due()
    assert (report.sent, report.failed) == (0, 5)
    waiting = db.session.scalars(select(OutboxMessage)).all()
    assert {m.attempts for m in waiting} == {1} and all(m.last_error for m in waiting)
    # Nothing is due until the back-off has passed, so the next pass does not try at all.
    assert deliver_due().failed == 0
    app.config["MAIL_PORT"] = port
    for message in waiting:
        message.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert deliver_due().sent == 5
    assert smtp.connections == 1
    assert statuses() == {"sent": 5}


def test_back_off_doubles_from_a_minute_up_to_an_hour():
    assert [retry_delay(n).total_seconds() for n in range(1, 9)] == [
        60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_two_workers_at_once_send_each_message_once(make_app):
    first, second = make_app(), make_app()
    with first.app_context():
        queue(60)
    with SmtpStub() as smtp:
        for app in (first, second):
            smtp.configure(app)
        reports = together(2, lambda n: deliver_mail_once((first, second)[n]))
    assert not [r for r in reports if isinstance(r, Exception) or r is None], reports
    assert sum(report.sent for report in reports) == 60
    assert sorted(smtp.recipients()) == sorted(f"person{n}@example.test" for n in range(60))


def test_message_bodies_never_reach_the_log(app, caplog):
    caplog.set_level(logging.DEBUG)
    queue_mail("coach@example.test", "Reset", "Open https://portfolio.test/account/reset/SECRET")
    db.session.commit()
    deliver_due()  # no mail server: written to the mail folder
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=9, MAIL_TIMEOUT=2)
    queue_mail("coach@example.test", "Reset", "Open https://portfolio.test/account/reset/SECRET")
    db.session.commit()
    deliver_due()  # the server is down: the failure is logged
    assert "Mail" in caplog.text
    assert "SECRET" not in caplog.text


def test_mail_disabled_discards_queued_mail_without_writing_it(app):
    app.config["MAIL_DISABLED"] = True
    queue(2)
    deliver_due()
    assert statuses() == {"discarded": 2}
    assert list(Path(app.config["MAIL_FOLDER"]).glob("*.eml")) == []


def test_the_in_process_worker_of_make_run_delivers_mail(app):
    from portfolio.exports.worker import start_background_worker

    stop = threading.Event()
    start_background_worker(app, poll_seconds=0.05, stop=stop)
    try:
        queue(3)
        deadline = time.monotonic() + 30  # generous: only "it does get delivered"
        while statuses() != {"sent": 3} and time.monotonic() < deadline:
            db.session.rollback()
            time.sleep(0.05)
    finally:
        stop.set()
    assert statuses() == {"sent": 3}


def test_flask_worker_once_delivers_queued_mail_and_reset_links(app, runner, client):
    make_user("coach@example.test")
    queue(2)
    client.post("/account/forgot-password", data={"email": "coach@example.test"})
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "3 email" in result.output  # "3 emails sent"
    db.session.rollback()
    assert statuses() == {"sent": 3}
