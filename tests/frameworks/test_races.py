"""A draft changed at the moment it is published: the change lands before the publication
or is refused after it, so a published version is never changed and never has an empty area."""

from __future__ import annotations

from sqlalchemy import func, select

from portfolio.auth.models import User
from portfolio.errors import DomainError
from portfolio.extensions import db
from portfolio.frameworks import services
from portfolio.frameworks.models import Competency, CompetencyArea, Framework
from tests.factories import make_framework, make_user
from tests.races import overlap_after


def test_emptying_an_area_while_the_draft_is_published_is_refused(app, monkeypatch):
    framework = make_framework(status="draft")
    lead, other_lead = make_user(name="Lee Lead", lead=True), make_user(name="Lou Lead", lead=True)
    db.session.commit()
    area = framework.areas[0]
    framework_id, area_id, other_id = framework.id, area.id, other_lead.id
    competency_ids = [c.id for c in area.competencies]

    def empty_the_area():
        actor = db.session.get(User, other_id)
        for competency_id in competency_ids:
            services.delete_competency(actor, db.session.get(Competency, competency_id))

    overlap = overlap_after(monkeypatch, services, "utcnow", app, empty_the_area)
    services.publish(lead, framework)
    db.session.commit()

    outcome, error = overlap.finish()
    assert outcome == "refused" and isinstance(error, DomainError), (outcome, error)
    assert "cannot be changed" in error.message
    db.session.expire_all()
    assert db.session.get(Framework, framework_id).status == "published"
    assert db.session.scalar(select(func.count(Competency.id)).where(
        Competency.area_id == area_id)) == len(competency_ids)
    assert db.session.get(CompetencyArea, area_id) is not None
