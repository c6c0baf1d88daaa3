"""The demo has one consent-restricted photo for Jordan, made once however often it runs:
his coach developer sees it with the badge, and the lead's report lists it."""

from sqlalchemy import func, select

from portfolio.auth.models import User
from portfolio.consent.models import ConsentRecord
from portfolio.extensions import db


def test_the_demo_consent_is_made_once_and_kept_inside_the_cohort(app, runner, client, login):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.expire_all()
    assert db.session.scalar(select(func.count(ConsentRecord.id))) == 1
    record = db.session.scalar(select(ConsentRecord))
    assert record.is_given and record.scope == "wider"
    jordan, sam, lead = (db.session.scalar(select(User).where(User.email == email)) for email in
                         ("coach1@example.org", "developer@example.org", "lead@example.org"))
    assert record.owner_id == jordan.id
    login(sam)
    page = client.get(f"/evidence/{record.evidence_id}")
    assert page.status_code == 200 and "Under 18: consent given" in page.get_data(as_text=True)
    login(lead)
    assert client.get(f"/evidence/{record.evidence_id}").status_code == 404
    index = client.get("/consent/report").get_data(as_text=True)
    assert "Consent for athletes under 18" in index
