"""Closing or archiving a programme year and withdrawing a member are confirmed on a page that
says what will happen; the page's button sends the action's usual POST (no JavaScript needed)."""

from __future__ import annotations

from portfolio.extensions import db
from portfolio.programmes.models import ProgrammeYear
from tests.factories import make_scenario


def test_closing_the_active_year_is_confirmed_first(app, client, login):
    s = make_scenario()
    db.session.commit()
    login(s.lead)
    overview = client.get("/programme/").get_data(as_text=True)
    link = f"/programme/years/{s.year.id}/status/closed"
    assert f'href="{link}"' in overview
    # No form on the overview closes the year at once.
    close_form = f'action="/programme/years/{s.year.id}/status"'
    assert close_form not in overview.split(f'id="year-{s.year.id}"')[1].split("</section>")[0]
    page = client.get(link).get_data(as_text=True)
    assert f"Close {s.year.label}?" in page and "What will happen" in page
    assert "no longer shared" in page and "reopen" in page
    assert close_form in page and 'name="status" value="closed"' in page
    db.session.expire_all()
    assert db.session.get(ProgrammeYear, s.year.id).status == "active"
    done = client.post(f"/programme/years/{s.year.id}/status", data={"status": "closed"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(ProgrammeYear, s.year.id).status == "closed"


def test_archiving_says_it_cannot_be_undone_and_only_valid_steps_have_a_page(app, client,
                                                                            login):
    s = make_scenario()
    db.session.commit()
    login(s.lead)
    # An active year cannot be archived straight away: there is no page for that.
    assert client.get(f"/programme/years/{s.year.id}/status/archived").status_code == 404
    s.year.status = "closed"
    db.session.commit()
    page = client.get(f"/programme/years/{s.year.id}/status/archived").get_data(as_text=True)
    assert f"Archive {s.year.label}?" in page and "This cannot be undone." in page
    assert client.get(f"/programme/years/{s.year.id}/status/planning").status_code == 404


def test_withdrawing_a_member_shows_what_happens_and_keeps_every_choice(app, client, login):
    s = make_scenario()
    db.session.commit()
    login(s.lead)
    url = f"/programme/cohorts/{s.cohort.id}/members/{s.peer_membership.id}"
    data = {"role": "candidate", "status": "withdrawn", "developer_id": str(s.developer.id)}
    page = client.post(url, data=data).get_data(as_text=True)
    assert "Withdraw Pat Peer from" in page and "entries" in page and "read-only" in page
    assert 'name="confirmed" value="yes"' in page
    assert 'name="status" value="withdrawn"' in page
    assert f'name="developer_id" value="{s.developer.id}"' in page
    db.session.refresh(s.peer_membership)
    assert s.peer_membership.status == "active"
    # Other changes (not a withdrawal) save at once, as before.
    assert client.post(url, data={**data, "status": "deferred"}).status_code == 302
