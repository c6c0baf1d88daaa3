"""The demo cohort has something on every reviews page, and seeding twice changes nothing."""

from sqlalchemy import func, select

from portfolio.extensions import db
from portfolio.reviews.models import Comment, ReviewRequest, Signoff


def _counts():
    return {
        "comments": db.session.scalar(select(func.count(Comment.id))),
        "peer": db.session.scalar(select(func.count(Signoff.id)).where(Signoff.role == "peer")),
        "signed": db.session.scalar(select(func.count(Signoff.id)).where(
            Signoff.role == "coach_developer", Signoff.decision == "signed_off")),
        "open": db.session.scalar(select(func.count(ReviewRequest.id)).where(
            ReviewRequest.status == "open")),
        "returned": db.session.scalar(select(func.count(ReviewRequest.id)).where(
            ReviewRequest.status == "returned")),
    }


def test_demo_reviews_are_complete_and_idempotent(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    counts = _counts()
    assert counts["comments"] >= 5 and counts["peer"] >= 2 and counts["signed"] >= 4
    assert counts["open"] == 1 and counts["returned"] == 1
    changed = db.session.scalars(select(Signoff).join(Signoff.entry).where(
        Signoff.role == "coach_developer")).all()
    assert any(s.version_number < s.entry.latest_version_number for s in changed)
    assert all(s.content_hash == s.entry_version.content_hash for s in changed)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.expire_all()
    assert _counts() == counts


def test_demo_pages_render(app, runner, client, login):
    from portfolio.auth.models import User

    runner.invoke(args=["seed-demo"])
    developer = db.session.scalar(select(User).where(User.email == "developer@example.org"))
    login(developer)
    page = client.get("/reviews/dashboard").get_data(as_text=True)
    assert "Hurdle rhythm" in page and "Overdue" in page
    returned = db.session.scalar(select(ReviewRequest).where(ReviewRequest.status == "returned"))
    assert client.get(f"/reviews/requests/{returned.id}").status_code == 200
