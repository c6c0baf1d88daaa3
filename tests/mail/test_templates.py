"""Email bodies are templates (templates/email/*.txt): subject on the first line, plain text."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio.extensions import db
from portfolio.mail.models import OutboxMessage
from portfolio.mail.services import render_mail
from portfolio.notifications.services import notify, send_daily_digests
from tests.factories import make_user

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "email"


def test_plain_text_is_not_html_escaped(app):
    subject, body = render_mail("invitation", invited_by=type("U", (), {"display_name": "O'Neil & Co"}),
                                context="Sprints <U20>", days=14, link="https://x.test/?a=1&b=2")
    assert subject == "You are invited to the Advanced Coach Portfolio"
    assert "O'Neil & Co has invited you to join Sprints <U20>" in body
    assert "https://x.test/?a=1&b=2\n" in body
    assert "&amp;" not in body and "&lt;" not in body


@pytest.mark.parametrize("name", sorted(p.stem for p in TEMPLATES.glob("[!_]*.txt")))
def test_every_template_has_a_subject_line_and_a_body(name):
    subject, _, body = (TEMPLATES / f"{name}.txt").read_text().partition("\n")
    assert subject.strip() and body.strip()


def test_a_notification_email_links_to_the_page_and_the_settings(app):
    user = make_user("immediate@example.test")
    user.email_preference = "immediate"
    notify(user, "comment", "Megan commented on “Relay changeovers”.", "/portfolio/entries/7")
    db.session.commit()
    message = db.session.scalars(db.select(OutboxMessage)).one()
    assert message.subject == "New comment on your entry"
    assert message.body_text.startswith(f"Hello {user.display_name},\n\nMegan commented on")
    assert "Open it here: http://portfolio.test/portfolio/entries/7\n\n--\n" in message.body_text
    assert message.body_text.endswith("account settings: http://portfolio.test/account/settings\n")


def test_the_daily_digest_lists_each_update_with_its_link(app):
    user = make_user("daily@example.test")
    user.email_preference = "daily"
    notify(user, "comment", "First update", "/portfolio/entries/1")
    notify(user, "reply", "Second update")
    db.session.commit()
    assert send_daily_digests() == 1
    message = db.session.scalars(db.select(OutboxMessage)).one()
    assert message.subject == "Your daily summary: 2 updates"
    assert ("* First update\n  http://portfolio.test/portfolio/entries/1\n* Second update\n\n"
            "See all your notifications: http://portfolio.test/notifications/\n\n--\n"
            in message.body_text)
