"""The demo has a showcase and a review panel to explore, made once however often it runs."""

from sqlalchemy import func, select

from portfolio.auth.models import User
from portfolio.extensions import db
from portfolio.panels.models import ReviewPanel
from portfolio.showcases.models import Showcase


def _counts():
    return (db.session.scalar(select(func.count(Showcase.id))),
            db.session.scalar(select(func.count(ReviewPanel.id))))


def test_the_demo_showcase_and_panel_are_made_once_and_open(app, runner, client, login):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    showcases, panels = _counts()
    assert (showcases, panels) == (2, 1)  # Jordan's showcase and the copy submitted to the panel
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.expire_all()
    assert _counts() == (showcases, panels)

    jordan = db.session.scalar(select(User).where(User.email == "coach1@example.org"))
    panel = db.session.scalar(select(ReviewPanel))
    assert panel.candidate_id == jordan.id and panel.showcase.is_locked
    shown = db.session.scalar(select(Showcase).where(Showcase.locked_at.is_(None)))
    kinds = [item.kind for item in shown.items]
    assert kinds.count("entry_version") >= 1 and "heading" in kinds
    assert shown.shared_with_developers and not shown.shared_with_peers

    login(jordan)
    assert "Sprint starts and relays" in client.get("/showcases/").get_data(as_text=True)
    assert client.get(f"/showcases/{shown.id}").status_code == 200
    assert client.get(f"/panels/{panel.id}").status_code == 200
    developer = db.session.scalar(select(User).where(User.email == "developer@example.org"))
    login(developer)
    assert client.get(f"/showcases/{shown.id}").status_code == 200  # shared with developers
