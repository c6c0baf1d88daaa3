"""`flask send-reminders`: an overdue request nudges its reviewer once, then tells the
programme leads once after REVIEW_ESCALATION_DAYS more days; daily digests go out too."""

from datetime import timedelta

from sqlalchemy import select

from portfolio.extensions import db
from portfolio.notifications.models import Notification
from portfolio.reviews.reminders import remind_overdue_reviews
from tests.reviews.builders import scenario_with_entry, submit


def _kinds(user):
    db.session.expire_all()
    return list(db.session.scalars(select(Notification.kind).where(
        Notification.user_id == user.id, Notification.kind.in_(
            ("review_overdue", "review_escalated")))))


def test_one_nudge_then_one_escalation(app):
    s = scenario_with_entry()
    review_request = submit(s)
    due = review_request.due_on
    days = app.config["REVIEW_ESCALATION_DAYS"]

    assert remind_overdue_reviews(due).nudged == 0  # due today: not overdue yet
    for _ in range(3):
        remind_overdue_reviews(due + timedelta(days=1))
        db.session.commit()
    assert _kinds(s.developer) == ["review_overdue"]
    assert _kinds(s.lead) == []
    assert review_request.reminded_at is not None
    lock = review_request.lock_version

    remind_overdue_reviews(due + timedelta(days=days))
    db.session.commit()
    assert _kinds(s.lead) == []
    for _ in range(3):
        remind_overdue_reviews(due + timedelta(days=days + 1))
        db.session.commit()
    assert _kinds(s.lead) == ["review_escalated"]
    assert _kinds(s.developer) == ["review_overdue"]
    db.session.refresh(review_request)
    assert review_request.escalated_at is not None
    assert review_request.lock_version == lock  # an open decision form stays valid
    message = db.session.scalar(select(Notification.message).where(
        Notification.user_id == s.lead.id))
    assert "Aisha Author" in message and "Block starts" in message


def test_closed_requests_are_not_chased(app):
    from portfolio.reviews import services

    s = scenario_with_entry()
    review_request = submit(s)
    services.withdraw_request(review_request, s.author)
    db.session.commit()
    report = remind_overdue_reviews(review_request.due_on + timedelta(days=30))
    assert (report.nudged, report.escalated) == (0, 0)


def test_the_command_runs_cron_style(app, runner):
    s = scenario_with_entry()
    review_request = submit(s)
    late = (review_request.due_on + timedelta(days=2)).isoformat()
    result = runner.invoke(args=["send-reminders", "--today", late])
    assert result.exit_code == 0, result.output
    assert "Overdue reminders: 1" in result.output
    result = runner.invoke(args=["send-reminders", "--today", late])
    assert "Overdue reminders: 0" in result.output
    assert _kinds(s.developer) == ["review_overdue"]
    result = runner.invoke(args=["send-reminders", "--today", "not-a-date"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output


def test_a_withdrawn_candidates_request_is_not_chased(app, client, login):
    s = scenario_with_entry()
    review_request = submit(s)
    s.author_membership.status = "withdrawn"
    db.session.commit()
    report = remind_overdue_reviews(review_request.due_on + timedelta(days=30))
    assert (report.nudged, report.escalated) == (0, 0)
    login(s.developer)
    assert "Block starts" not in client.get("/reviews/requests").get_data(as_text=True)
