"""The audit log is append-only, one line per value, and free of email addresses."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from portfolio.audit.models import AuditEvent
from portfolio.audit.services import record
from portfolio.extensions import db
from tests.factories import make_user


def test_values_cannot_forge_extra_lines(app):
    event = record("test.event", note="first\nFAKE 2026-01-01 admin did things\r\u2028x")
    db.session.commit()
    assert "\n" not in event.summary and "\r" not in event.summary and "\u2028" not in event.summary


def test_update_and_delete_are_refused_by_the_database(app):
    record("test.event")
    db.session.commit()
    with pytest.raises(DatabaseError):
        db.session.execute(text("UPDATE audit_events SET action = 'forged'"))
    db.session.rollback()
    with pytest.raises(DatabaseError):
        db.session.execute(text("DELETE FROM audit_events"))
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent.action)) == "test.event"


def test_failed_login_is_audited_without_the_address(app, client):
    make_user("coach@example.test")
    db.session.commit()
    client.post("/account/login", data={"email": "coach@example.test", "password": "wrong one"})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login.failed"))
    assert event is not None and event.address
    assert "coach@example.test" not in event.summary and "account=" in event.summary


def test_actors_are_named_by_account_id_only(app, client):
    user = make_user("coach@example.test")
    db.session.commit()
    from tests.factories import PASSWORD

    client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login.succeeded"))
    assert event.actor_id == user.id and event.actor_label == f"user #{user.id}"
