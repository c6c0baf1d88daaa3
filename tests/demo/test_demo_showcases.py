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
    # Jordan's and Megan's showcases and the copies submitted to their panels.
    assert (showcases, panels) == (4, 2)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.expire_all()
    assert _counts() == (showcases, panels)

    jordan = db.session.scalar(select(User).where(User.email == "coach1@example.org"))
    panel = db.session.scalar(select(ReviewPanel).where(ReviewPanel.candidate_id == jordan.id))
    assert panel.showcase.is_locked
    shown = db.session.scalar(select(Showcase).where(Showcase.locked_at.is_(None),
                                                     Showcase.owner_id == jordan.id))
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


def test_the_demo_lead_can_record_an_outcome_on_megans_panel(app, runner, client, login):
    from portfolio.panels.permissions import can_record_outcome

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    megan = db.session.scalar(select(User).where(User.email == "coach2@example.org"))
    lead = db.session.scalar(select(User).where(User.email == "lead@example.org"))
    panel = db.session.scalar(select(ReviewPanel).where(ReviewPanel.candidate_id == megan.id))
    assert can_record_outcome(lead, panel)
    login(lead)
    page = client.get(f"/panels/{panel.id}").get_data(as_text=True)
    assert "returning from injury" in page and "Endurance groups" in page
    login(megan)
    assert "returning from injury" not in client.get(f"/panels/{panel.id}").get_data(
        as_text=True)
