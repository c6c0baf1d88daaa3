"""The demo has one answered external feedback and one waiting request, made once however
often it runs, and Jordan reads the feedback as external testimony."""

from sqlalchemy import func, select

from portfolio.auth.models import User
from portfolio.extensions import db
from portfolio.feedback.models import ExternalFeedback, FeedbackRequest


def _counts():
    return (db.session.scalar(select(func.count(FeedbackRequest.id))),
            db.session.scalar(select(func.count(ExternalFeedback.id))))


def test_the_demo_feedback_is_made_once_and_readable(app, runner, client, login):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert _counts() == (2, 1)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.expire_all()
    assert _counts() == (2, 1)
    jordan = db.session.scalar(select(User).where(User.email == "coach1@example.org"))
    answered = db.session.scalar(select(FeedbackRequest).where(
        FeedbackRequest.used_at.is_not(None)))
    login(jordan)
    text = client.get(f"/feedback/{answered.id}").get_data(as_text=True)
    assert "External testimony" in text and "Helen Okafor" in text
