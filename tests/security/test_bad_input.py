"""Bad values in the address or a form: a page or a field error, never a 500 or lost text."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portfolio.entries.models import Entry, Goal
from portfolio.extensions import db
from portfolio.programmes.models import PeerGroup
from portfolio.requests import MAX_PAGE, database_id, page_number
from tests.entries.builders import form_fields
from tests.factories import add_member, competency, make_entry, make_scenario, sign_in

HUGE_PAGES = ["99999999999999999999", str(2**63), str(2**31), "0", "-3", "abc", "\u00b2", "",
              "1.5", "9" * 5000]
HUGE_ID = str(10**20)


@pytest.mark.parametrize(("value", "page"), [
    ("7", 7), (" 3 ", 3), ("000000000000000000000005", 5), ("1000000", MAX_PAGE),
    ("99999999999999999999", MAX_PAGE), (str(2**63), MAX_PAGE), ("0", 1), ("-3", 1),
    ("abc", 1), ("\u00b2", 1), ("\u0663", 1), ("1.5", 1), ("", 1), (None, 1), ("9" * 5000, MAX_PAGE),
])
def test_page_numbers_are_clamped_and_junk_is_the_first_page(value, page):
    assert page_number(value) == page


@pytest.mark.parametrize("value", ["0", "-1", str(2**31), HUGE_ID, "abc", "\u00b2", "1.5", "",
                                   None, "9" * 5000])
def test_an_id_no_row_could_have_is_refused(value):
    with pytest.raises(ValueError):
        database_id(value)


def test_a_real_id_is_accepted():
    assert database_id(" 42 ") == database_id(42) == 42
    assert database_id(str(2**31 - 1)) == 2**31 - 1


@pytest.fixture
def world(app):
    world = make_scenario()
    world.entry = make_entry(world.author, cohort=world.cohort, title="Paged entry")
    db.session.commit()
    return world


LISTS = [
    ("author", lambda w: "/portfolio/"),
    ("author", lambda w: "/evidence/"),
    ("author", lambda w: f"/evidence/entry/{w.entry.id}/attach"),
    ("author", lambda w: "/notifications/"),
    ("developer", lambda w: f"/portfolio/candidates/{w.author.id}"),
    ("developer", lambda w: "/reviews/requests"),
    ("lead", lambda w: f"/reviews/cohorts/{w.cohort.id}/audit"),
    ("admin", lambda w: "/admin/users"),
]


@pytest.mark.parametrize(("role", "url"), LISTS, ids=[
    "portfolio_home", "evidence_library", "attach_page", "notifications", "candidate_portfolio",
    "review_requests", "audit_log", "admin_users"])
def test_every_list_answers_any_page_number(app, world, role, url):
    client = sign_in(app.test_client(), getattr(world, role))
    for value in HUGE_PAGES:
        response = client.get(url(world), query_string={"page": value})
        assert response.status_code == 200, f"page={value[:30]} answered {response.status_code}"


def _entry_post(world, **fields):
    return form_fields(world.entry, action="save", sections={"what": "Words I must not lose"},
                       **fields)


def test_saving_an_entry_with_an_impossible_competency_keeps_the_text(app, world):
    client = sign_in(app.test_client(), world.author)
    response = client.post(f"/portfolio/entries/{world.entry.id}/edit",
                           data=_entry_post(world, competencies=HUGE_ID))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Choose competencies from the list." in page
    assert "Words I must not lose" in page


def test_a_new_entry_with_an_impossible_competency_keeps_the_text(app, world):
    client = sign_in(app.test_client(), world.author)
    data = form_fields(owner=world.author, action="save",
                       sections={"what": "Words I must not lose"}, competencies=HUGE_ID)
    response = client.post("/portfolio/entries/new", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Choose competencies from the list." in page and "Words I must not lose" in page


def test_autosave_with_an_impossible_competency_saves_the_text_and_says_why(app, world):
    kept = competency(world.framework, "VP1")
    world.entry.claims  # noqa: B018 - load before the request changes them
    client = sign_in(app.test_client(), world.author)
    response = client.post(f"/portfolio/entries/{world.entry.id}/autosave",
                           data=_entry_post(world, competencies=[str(kept.id), HUGE_ID]))
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["status"] == "saved"
    assert "Choose competencies from the list." in answer["errors"]
    db.session.expire_all()
    assert db.session.get(Entry, world.entry.id).sections["what"] == "Words I must not lose"


def test_a_new_goal_with_an_impossible_competency_keeps_the_text(app, world):
    client = sign_in(app.test_client(), world.author)
    response = client.post("/portfolio/goals/new", data={
        "title": "Plan the indoor block", "description": "Goal words I must not lose",
        "status": "not_started", "privacy": "developers", "competencies": HUGE_ID})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Choose competencies from the list." in page and "Goal words I must not lose" in page
    assert db.session.scalar(select(Goal.id)) is None


@pytest.mark.parametrize("ids", [["abc"], [HUGE_ID, "abc"], [str(2**63)], [""]])
def test_a_peer_group_with_junk_member_ids_is_a_field_error(app, world, ids):
    spare = [add_member(world.cohort, developer=world.developer) for _ in range(2)]
    db.session.commit()
    client = sign_in(app.test_client(), world.lead)
    response = client.post(f"/programme/cohorts/{world.cohort.id}/peer-groups/new", data={
        "name": "Throwers", "membership_ids": [str(spare[0].id), *ids]})
    assert response.status_code == 200
    assert "Choose candidates from the list." in response.get_data(as_text=True)
    assert db.session.scalar(select(PeerGroup.id).where(PeerGroup.name == "Throwers")) is None


@pytest.mark.parametrize("lock", ["\u00b2", HUGE_ID, str(2**63), "-1"])
def test_restoring_a_version_with_a_junk_lock_version_is_not_a_server_error(app, world, lock):
    client = sign_in(app.test_client(), world.author)
    response = client.post(f"/portfolio/entries/{world.entry.id}/versions/1/restore",
                           data={"lock_version": lock})
    assert response.status_code == 302
