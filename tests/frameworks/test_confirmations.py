"""Publishing, retiring and deleting a framework version are confirmed on a page that says
what will happen; the page's button posts to the step's own route."""

from __future__ import annotations

from portfolio.extensions import db
from portfolio.frameworks.models import Framework
from tests.factories import make_framework, make_user


def test_each_irreversible_step_is_confirmed_first(app, client, login):
    lead = make_user(lead=True)
    draft = make_framework("Coaching draft", status="draft")
    published = make_framework("Coaching", status="published")
    db.session.commit()
    login(lead)
    detail = client.get(f"/frameworks/{draft.id}").get_data(as_text=True)
    assert f'href="/frameworks/{draft.id}/publish"' in detail
    assert f'action="/frameworks/{draft.id}/publish"' not in detail
    page = client.get(f"/frameworks/{draft.id}/publish").get_data(as_text=True)
    assert "can no longer be changed" in page and "This cannot be undone." in page
    assert f'action="/frameworks/{draft.id}/publish"' in page
    retire = client.get(f"/frameworks/{published.id}/retire").get_data(as_text=True)
    assert "New cohorts can no longer choose it." in retire
    delete = client.get(f"/frameworks/{draft.id}/delete").get_data(as_text=True)
    assert "deleted with all its areas and competencies" in delete
    # Only a step the version can take has a page.
    assert client.get(f"/frameworks/{published.id}/publish").status_code == 404
    assert client.get(f"/frameworks/{draft.id}/retire").status_code == 404
    db.session.expire_all()
    assert db.session.get(Framework, draft.id).status == "draft"
