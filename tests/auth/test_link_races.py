"""One-time links under a double click: eight overlapping posts of one link, one success.

The requests really overlap: a threaded live server and eight threads released together by a
barrier. The link is spent by a conditional UPDATE before anything else is written, so only one
request sets the account up; the others get the "already used" page. Runs on SQLite and, with
DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from portfolio.audit.models import AuditEvent
from portfolio.auth import services
from portfolio.auth.models import AccountToken, User
from portfolio.database import utcnow
from portfolio.extensions import db
from portfolio.mail.services import deliver_due
from tests.auth.test_links import link_from_outbox
from tests.factories import PASSWORD, make_user
from tests.live import Browser, LiveSite, together

POSTS = 8


@pytest.fixture
def site(app):
    with LiveSite(app) as site:
        yield site


def audit_count(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == action))


def post_together(site, link: str, form_for) -> list:
    db.session.rollback()  # hold no transaction while the server works
    answers = together(POSTS, lambda n: Browser(site.url).post(link, form_for(n)))
    assert not [a for a in answers if isinstance(a, Exception)], answers
    return answers


def winner_and_losers(answers):
    winners = [n for n, answer in enumerate(answers) if answer.status == 302]
    losers = [answer for answer in answers if answer.status != 302]
    assert len(winners) == 1, [answer.status for answer in answers]
    for answer in losers:
        assert answer.status == 404
        assert "has already been used" in answer.text
    return winners[0]


def passphrase(n: int) -> str:
    return f"passphrase number {n}"


def test_one_invitation_posted_eight_times_at_once_sets_the_account_up_once(app, site):
    admin = make_user(admin=True)
    invitee, _ = services.invite_user("invitee@example.test", "", invited_by=admin)
    db.session.commit()
    link = link_from_outbox("invitation")
    answers = post_together(site, link, lambda n: {
        "display_name": f"Invitee {n}", "password": passphrase(n), "confirm": passphrase(n)})
    winner = winner_and_losers(answers)
    db.session.expire_all()
    assert audit_count("user.invitation_accepted") == 1
    user = db.session.get(User, invitee.id)
    assert user.display_name == f"Invitee {winner}"  # no later post overwrote the account
    assert user.check_password(passphrase(winner))
    assert db.session.scalar(select(AccountToken.used_at)
                             .where(AccountToken.user_id == invitee.id)) is not None


def test_one_reset_link_posted_eight_times_at_once_resets_once(app, site, client):
    user = make_user("coach@example.test")
    db.session.commit()
    client.post("/account/forgot-password", data={"email": user.email})
    deliver_due()
    link = link_from_outbox("reset")
    answers = post_together(site, link, lambda n: {"password": passphrase(n),
                                                   "confirm": passphrase(n)})
    winner = winner_and_losers(answers)
    db.session.expire_all()
    assert audit_count("password.reset") == 1
    assert db.session.get(User, user.id).check_password(passphrase(winner))


def test_a_link_spent_after_this_request_checked_it_changes_nothing(app):
    user = make_user("coach@example.test")
    raw = services.issue_token(user, "reset", timedelta(hours=1))
    db.session.commit()
    token = services.find_valid_token(raw, "reset")
    with db.engine.begin() as other_request:
        other_request.execute(update(AccountToken).values(used_at=utcnow()))
    with pytest.raises(services.LinkUsedError):
        services.reset_password(token, "a brand new passphrase")
    db.session.rollback()
    assert db.session.get(User, user.id).check_password(PASSWORD)
