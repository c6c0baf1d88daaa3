"""In-app notifications with a header count, mark as read, email by preference, privacy."""

import pytest
from sqlalchemy import func, select

from portfolio.extensions import db
from portfolio.mail.models import OutboxMessage
from portfolio.notifications import services as notifications
from portfolio.notifications.models import Notification
from portfolio.reviews import services
from tests.reviews.builders import StatementCounter, decide, scenario_with_entry, submit


def _mail_to(user):
    return db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == user.email)).all()


def test_header_shows_the_unread_count_with_one_query(app, client, login):
    s = scenario_with_entry()
    services.add_comment(s.entry, s.peer, "One.")
    services.add_comment(s.entry, s.developer, "Two.")
    db.session.commit()
    login(s.author)
    client.get("/account/settings")
    with StatementCounter(db.engine) as counter:
        page = client.get("/account/settings").get_data(as_text=True)
    assert 'Notifications <span class="badge">2<span class="visually-hidden"> unread' in page
    assert sum("FROM notifications" in sql for sql in counter.statements) == 1


def test_list_mark_read_open_and_mark_all(app, client, login):
    s = scenario_with_entry()
    first = services.add_comment(s.entry, s.peer, "One.")
    services.add_comment(s.entry, s.developer, "Two.")
    db.session.commit()
    mine = db.session.scalars(select(Notification).where(Notification.user_id == s.author.id)
                              .order_by(Notification.id)).all()
    login(s.author)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Pat Peer commented on your entry “Block starts”." in page
    response = client.post(f"/notifications/{mine[0].id}/open")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#comment-{first.id}")
    db.session.expire_all()
    assert mine[0].read_at is not None and mine[1].read_at is None
    assert "Unread (1)" in client.get("/notifications/?show=unread").get_data(as_text=True)
    assert client.post("/notifications/read-all").status_code == 302
    db.session.expire_all()
    assert mine[1].read_at is not None
    login(s.peer)
    assert client.post(f"/notifications/{mine[0].id}/read").status_code == 404


def test_an_unsafe_link_is_never_followed(app, client, login):
    s = scenario_with_entry()
    item = Notification(user_id=s.author.id, kind="comment", message="x",
                        link="//evil.example/steal")
    db.session.add(item)
    db.session.commit()
    login(s.author)
    response = client.post(f"/notifications/{item.id}/open")
    assert response.headers["Location"].endswith("/notifications/")


@pytest.mark.parametrize("preference, emails_now", [("immediate", 1), ("daily", 0), ("off", 0)])
def test_email_follows_each_persons_preference(app, preference, emails_now):
    s = scenario_with_entry()
    s.author.email_preference = preference
    db.session.commit()
    services.add_comment(s.entry, s.peer, "A comment.")
    db.session.commit()
    assert len(_mail_to(s.author)) == emails_now
    assert notifications.send_daily_digests() == (1 if preference == "daily" else 0)
    assert notifications.send_daily_digests() == 0  # at most one digest a day
    db.session.commit()
    expected = 1 if preference in ("immediate", "daily") else 0
    assert len(_mail_to(s.author)) == expected
    if preference == "daily":
        assert "daily summary" in _mail_to(s.author)[0].subject
        assert "Pat Peer commented" in _mail_to(s.author)[0].body_text


def test_messages_and_emails_never_contain_reflection_or_comment_text(app):
    s = scenario_with_entry(sections={"what": "SECRET-REFLECTION-TEXT"})
    review_request = submit(s, message="SECRET-NOTE-TEXT")
    comment = services.add_comment(s.entry, s.peer, "SECRET-COMMENT-TEXT")
    services.add_comment(s.entry, s.author, "SECRET-REPLY-TEXT", comment)
    services.add_peer_feedback(s.entry, s.peer, "SECRET-WORKED", "SECRET-TRY", "SECRET-Q")
    services.peer_signoff(s.entry, s.peer, s.competencies["VP2"].id, "SECRET-PEER-NOTE")
    decide(s, review_request, {"VP1": ("signed_off", "SECRET-FEEDBACK"),
                               "VP2": ("not_yet", "SECRET-FEEDBACK")}, "SECRET-OVERALL",
           returning=True)
    texts = list(db.session.scalars(select(Notification.message)))
    texts += list(db.session.scalars(select(OutboxMessage.body_text)))
    texts += list(db.session.scalars(select(OutboxMessage.subject)))
    assert len(texts) >= 12
    assert not [text for text in texts if "SECRET" in text]


def test_nobody_is_told_about_an_entry_they_cannot_see(app):
    s = scenario_with_entry()
    comment = services.add_comment(s.entry, s.peer, "Before I left.")
    db.session.commit()
    s.peer_membership.status = "withdrawn"
    db.session.commit()
    services.add_comment(s.entry, s.author, "Reply after they left.", comment)
    db.session.commit()
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == s.peer.id)) == 0
    assert notifications.notify(s.other_candidate, "comment", "x", entry=s.entry) is None


def test_deactivated_people_are_not_notified(app):
    s = scenario_with_entry()
    s.author.active = False
    db.session.commit()
    services.add_comment(s.entry, s.peer, "Hello?")
    assert db.session.scalar(select(func.count(Notification.id))) == 0


def test_the_list_pages_through_ones_own_notifications_newest_first(app, client, login):
    from portfolio.database import utcnow

    s = scenario_with_entry()
    for n in range(30):
        notifications.notify(s.author, "comment", f"Message number {n:02d}.")
    notifications.notify(s.peer, "comment", "For the peer only.")
    db.session.flush()
    for item in db.session.scalars(select(Notification).where(
            Notification.user_id == s.author.id, Notification.message < "Message number 10")):
        item.read_at = utcnow()  # 00–09 read, 10–29 unread
    db.session.commit()
    login(s.author)
    first = client.get("/notifications/").get_data(as_text=True)
    second = client.get("/notifications/?page=2").get_data(as_text=True)
    shown = [f"Message number {n:02d}." for n in range(30)]
    assert all(text in first + second for text in shown)
    assert sum(text in first for text in shown) == 25
    assert "Message number 29." in first and "Message number 00." in second  # newest first
    assert "For the peer only." not in first + second
    unread = client.get("/notifications/?show=unread").get_data(as_text=True)
    assert sum(text in unread for text in shown) == 20 and "Message number 09." not in unread
    past_the_end = client.get("/notifications/?page=5")
    assert past_the_end.status_code == 200
    assert not any(text in past_the_end.get_data(as_text=True) for text in shown)
