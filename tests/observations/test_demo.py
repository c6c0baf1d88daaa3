"""The demo has observations to explore: made once however often seed-demo runs."""

from sqlalchemy import func, select

from portfolio.auth.models import User
from portfolio.extensions import db
from portfolio.observations.models import (
    Observation,
    ObservationReflection,
    ObservationTemplate,
    TemplateStatus,
)


def _counts():
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Observation, ObservationReflection))


def test_the_demo_observations_are_made_once_and_open(app, runner, client, login):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert _counts() == (2, 1)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.expire_all()
    assert _counts() == (2, 1)
    names = set(db.session.scalars(select(ObservationTemplate.name).where(
        ObservationTemplate.status == TemplateStatus.PUBLISHED)))
    assert names == {"Session observation", "Competition-day observation"}

    jordan = db.session.scalar(select(User).where(User.email == "coach1@example.org"))
    observation = db.session.scalar(select(Observation).where(
        Observation.candidate_id == jordan.id))
    assert observation.shared_with_peers and observation.competencies
    login(jordan)
    page = client.get(f"/observations/{observation.id}").get_data(as_text=True)
    assert "falling starts" in page and "Open your reflection on this observation" in page
    developer = db.session.scalar(select(User).where(User.email == "developer@example.org"))
    login(developer)
    listing = client.get("/observations/").get_data(as_text=True)
    assert "Jordan Reid" in listing and "Megan Lloyd" in listing
