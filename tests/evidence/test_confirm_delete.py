"""Deleting evidence is confirmed on a page saying what goes; looking at it deletes nothing."""

from __future__ import annotations

from portfolio import storage
from portfolio.evidence.models import Evidence
from portfolio.extensions import db
from tests.evidence.builders import entry_with, store
from tests.factories import make_scenario, sign_in


def test_deleting_evidence_is_confirmed_first(app):
    s = make_scenario()
    plan = store(s.author, "plan.pdf", title="Session plan")
    plan_id = plan.id
    entry_with(s.author, [plan], cohort=s.cohort, privacy="peers", published=False)
    db.session.commit()
    client = sign_in(app.test_client(), s.author)
    detail = client.get(f"/evidence/{plan.id}").get_data(as_text=True)
    assert f'href="/evidence/{plan.id}/delete"' in detail
    assert f'action="/evidence/{plan.id}/delete"' not in detail
    page = client.get(f"/evidence/{plan.id}/delete").get_data(as_text=True)
    assert "Delete “Session plan”?" in page and "taken out of the 1 entry" in page
    assert "The file is deleted for good." in page and "This cannot be undone." in page
    assert f'action="/evidence/{plan.id}/delete"' in page
    assert db.session.get(Evidence, plan.id) is not None
    assert storage.stored_file(plan.storage_key).exists()
    assert client.post(f"/evidence/{plan_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Evidence, plan_id) is None
    # Someone else's evidence has no confirmation page either.
    other = store(s.peer, "plan.pdf")
    db.session.commit()
    assert client.get(f"/evidence/{other.id}/delete").status_code == 404
