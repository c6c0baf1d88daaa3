"""Reset and invitation links: single-use, expiring, and no account enumeration."""

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from portfolio.auth import services
from portfolio.auth.models import AccountToken, User
from portfolio.extensions import db
from portfolio.mail.models import OutboxMessage
from portfolio.mail.services import deliver_due
from tests.factories import PASSWORD, make_user


def ask_for_reset(client, email: str, **kwargs):
    """Post the forgot-password form, then let the worker deliver what it queued."""
    response = client.post("/account/forgot-password", data={"email": email}, **kwargs)
    deliver_due()
    return response


def link_from_outbox(kind: str) -> str:
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert message is not None, "no mail queued"
    match = re.search(rf"http://portfolio\.test(/account/{kind}/\S+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def test_reset_request_gives_the_same_answer_for_known_and_unknown_email(app, client):
    make_user("coach@example.test")
    db.session.commit()
    known = client.post("/account/forgot-password", data={"email": "coach@example.test"})
    unknown = client.post("/account/forgot-password", data={"email": "nobody@example.test"})
    strip = lambda r: r.get_data(as_text=True).replace("coach@example.test", "X").replace(  # noqa: E731
        "nobody@example.test", "X")
    assert known.status_code == unknown.status_code == 200
    assert strip(known) == strip(unknown)
    assert db.session.scalars(select(OutboxMessage)).all() == []  # nothing mailed by the page
    deliver_due()
    assert db.session.scalars(select(OutboxMessage.to_address)).all() == ["coach@example.test"]


def test_reset_link_uses_configured_server_name_not_host_header(app, client):
    make_user("coach@example.test")
    db.session.commit()
    ask_for_reset(client, "coach@example.test", headers={"Host": "evil.example"})
    body = db.session.scalar(select(OutboxMessage.body_text))
    assert "http://portfolio.test/account/reset/" in body
    assert "evil.example" not in body


def test_reset_link_works_once(app, client):
    user = make_user("coach@example.test")
    db.session.commit()
    ask_for_reset(client, user.email)
    link = link_from_outbox("reset")
    form = {"password": "a fresh passphrase", "confirm": "a fresh passphrase"}
    assert client.get(link).status_code == 200
    assert client.post(link, data=form).status_code == 302
    again = client.post(link, data={"password": "another passphrase!", "confirm":
                                    "another passphrase!"})
    assert again.status_code == 404
    assert "expired or has already been used" in again.get_data(as_text=True)
    login = client.post("/account/login", data={"email": user.email,
                                                "password": "a fresh passphrase"})
    assert login.status_code == 302


def test_reset_link_expires_after_an_hour(app, client):
    user = make_user("coach@example.test")
    db.session.commit()
    ask_for_reset(client, user.email)
    link = link_from_outbox("reset")
    token = db.session.scalar(select(AccountToken))
    token.expires_at = services.utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(link).status_code == 404


def test_reset_link_is_not_stored_in_clear(app, client):
    user = make_user("coach@example.test")
    db.session.commit()
    ask_for_reset(client, user.email)
    raw = link_from_outbox("reset").rsplit("/", 1)[1]
    stored = db.session.scalar(select(AccountToken.token_hash))
    assert raw not in stored


def test_short_password_is_refused_by_the_field_and_link_stays_valid(app, client):
    user = make_user("coach@example.test")
    db.session.commit()
    ask_for_reset(client, user.email)
    link = link_from_outbox("reset")
    response = client.post(link, data={"password": "short", "confirm": "short"})
    assert response.status_code == 200
    assert "Password must be between 10 and 256 characters." in response.get_data(as_text=True)
    assert client.get(link).status_code == 200


def test_admin_invitation_lets_the_invitee_set_name_and_password_once(app, client, login):
    admin = make_user(admin=True)
    db.session.commit()
    login(admin)
    response = client.post("/admin/users/invite", data={"email": "New.Coach@Example.test",
                                                         "display_name": ""})
    assert response.status_code == 302
    link = link_from_outbox("invitation")
    visitor = app.test_client()
    assert visitor.get(link).status_code == 200
    accepted = visitor.post(link, data={"display_name": "Nia Coach", "password":
                                        "track session 42", "confirm": "track session 42"})
    assert accepted.status_code == 302
    assert visitor.get("/account/settings").status_code == 200
    user = db.session.scalar(select(User).where(User.email == "new.coach@example.test"))
    assert user.display_name == "Nia Coach"
    assert app.test_client().get(link).status_code == 404


def test_invitation_expires_after_seven_days(app):
    admin = make_user(admin=True)
    user, created = services.invite_user("late@example.test", "Late", invited_by=admin)
    db.session.commit()
    assert created
    token = db.session.scalar(select(AccountToken).where(AccountToken.user_id == user.id))
    assert token.expires_at - services.utcnow() > timedelta(days=6, hours=23)
    token.expires_at = services.utcnow() - timedelta(minutes=1)
    db.session.commit()
    link = link_from_outbox("invitation")
    assert app.test_client().get(link).status_code == 404


def test_inviting_an_existing_account_does_not_send_a_new_invitation(app):
    admin = make_user(admin=True)
    existing = make_user("coach@example.test")
    db.session.commit()
    user, created = services.invite_user("COACH@example.test", "Coach", invited_by=admin)
    assert user.id == existing.id and not created
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_mail_is_written_to_the_instance_folder_without_smtp(app, client):
    make_user("coach@example.test")
    db.session.commit()
    client.post("/account/forgot-password", data={"email": "coach@example.test"})
    folder = Path(app.config["MAIL_FOLDER"])
    assert list(folder.glob("*.eml")) == []  # the page only queues
    deliver_due()
    files = list(folder.glob("*.eml"))
    assert len(files) == 1
    assert "To: coach@example.test" in files[0].read_text()
    message = db.session.scalar(select(OutboxMessage))
    db.session.refresh(message)
    assert message.status == "sent"


def test_failed_smtp_send_does_not_fail_the_action_and_is_retried(app, client, runner):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=9, MAIL_TIMEOUT=2)  # nothing listens
    make_user("coach@example.test")
    db.session.commit()
    response = client.post("/account/forgot-password", data={"email": "coach@example.test"})
    assert response.status_code == 200
    deliver_due()
    message = db.session.scalar(select(OutboxMessage))
    db.session.refresh(message)
    assert message.status == "pending" and message.attempts == 1 and message.last_error
    assert message.next_attempt_at > services.utcnow()  # waits before trying again
    deliver_due()
    db.session.refresh(message)
    assert message.attempts == 1
    app.config.update(MAIL_SERVER=None)
    result = runner.invoke(args=["mail", "send-outbox"])  # an operator's run does not wait
    assert "Sent 1; 0 still waiting." in result.output
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == "sent"


def test_login_after_reset_uses_new_password_only(app, client):
    user = make_user("coach@example.test")
    db.session.commit()
    ask_for_reset(client, user.email)
    link = link_from_outbox("reset")
    client.post(link, data={"password": "a fresh passphrase", "confirm": "a fresh passphrase"})
    old = app.test_client().post("/account/login", data={"email": user.email,
                                                         "password": PASSWORD})
    assert old.status_code == 401


def test_accepting_an_invitation_activates_invited_cohort_memberships(app, client):
    from portfolio.programmes.models import CohortMembership
    from tests.factories import add_member, make_cohort

    admin = make_user(admin=True)
    cohort = make_cohort()
    user, _ = services.invite_user("invitee@example.test", "", invited_by=admin)
    add_member(cohort, user, status="invited")
    db.session.commit()
    link = link_from_outbox("invitation")
    client.post(link, data={"display_name": "Ivy Invitee", "password": "a long passphrase",
                            "confirm": "a long passphrase"})
    db.session.expire_all()
    membership = db.session.scalar(select(CohortMembership).where(
        CohortMembership.user_id == user.id))
    assert membership.status == "active"
