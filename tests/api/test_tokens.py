"""Tokens: scopes, expiry, revocation, client systems limited to their years, problem
details, cursors, the rate limit, and the pages where tokens are made."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from sqlalchemy import select

from portfolio.api.models import ApiToken
from portfolio.api.services import digest, revoke_client, revoke_token
from portfolio.database import utcnow
from portfolio.entries.authoring import writing_membership
from portfolio.extensions import db
from portfolio.programmes.models import Cohort
from tests.api.builders import api_world, bearer, client_token, personal_token, walk
from tests.factories import csrf_token_from, make_cohort, make_year

LISTS = ("years", "cohorts", "memberships", "frameworks", "progress", "review-requests",
         "signoffs", "entries", "evidence")


@pytest.fixture
def world(app):
    world = api_world()
    db.session.commit()
    return world


def _problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] and body["detail"] and body["instance"]
    return body


def test_no_token_or_a_wrong_one_is_401_problem(client, world):
    for headers in ({}, bearer("acp_not-a-real-token"), {"Authorization": "Basic eDp5"}):
        response = client.get("/api/v1/cohorts", headers=headers)
        _problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_browser_cookie_grants_nothing(client, world, login):
    login(world.lead)
    _problem(client.get("/api/v1/cohorts"), 401)
    _problem(client.post("/api/v1/entries", json={"title": "Forged"}), 401)


def test_scopes_limit_resources_and_writing(client, world):
    reader = personal_token(world.author, access="read", resources=["entries"])
    db.session.commit()
    assert client.get("/api/v1/entries", headers=bearer(reader)).status_code == 200
    body = _problem(client.get("/api/v1/cohorts", headers=bearer(reader)), 403)
    assert "cohorts" in body["detail"]
    _problem(client.post("/api/v1/entries", json={"title": "Draft"}, headers=bearer(reader)),
             403)
    writer = personal_token(world.author, access="write", resources=["entries"])
    db.session.commit()
    response = client.post("/api/v1/entries", json={"title": "Hurdles drill"},
                           headers=bearer(writer))
    assert response.status_code == 201
    made = response.get_json()
    assert made["status"] == "draft" and made["privacy"] == "private"
    # The entries service puts it in the author's latest open cohort, as the page does.
    assert made["cohort_id"] == writing_membership(world.author).cohort_id


def test_creating_a_draft_goes_through_the_entries_rules(client, world):
    token = personal_token(world.lead, access="write", resources=["entries"])
    db.session.commit()
    body = _problem(client.post("/api/v1/entries", json={"title": "Not a candidate"},
                                headers=bearer(token)), 422)
    assert "candidates" in body["detail"]
    author_token = personal_token(world.author)
    db.session.commit()
    body = _problem(client.post("/api/v1/entries", json={"title": ""},
                                headers=bearer(author_token)), 422)
    assert "title" in body["errors"]["json"]


def test_another_persons_entry_is_404(client, world):
    token = personal_token(world.peer)
    db.session.commit()
    entry = world.entries["cohort"]
    _problem(client.get(f"/api/v1/entries/{entry.id}", headers=bearer(token)), 404)
    own = personal_token(world.author)
    db.session.commit()
    assert client.get(f"/api/v1/entries/{entry.id}", headers=bearer(own)).status_code == 200


def test_expired_and_revoked_tokens_stop_working(client, world):
    secret = personal_token(world.author)
    db.session.commit()
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert "expired" in _problem(client.get("/api/v1/entries", headers=bearer(secret)),
                                 401)["detail"]
    token.expires_at = utcnow() + timedelta(days=1)
    revoke_token(world.author, token)
    db.session.commit()
    assert "revoked" in _problem(client.get("/api/v1/entries", headers=bearer(secret)),
                                 401)["detail"]


def test_a_deactivated_persons_token_stops_working(client, world):
    secret = personal_token(world.author)
    world.author.active = False
    db.session.commit()
    _problem(client.get("/api/v1/entries", headers=bearer(secret)), 401)


def test_only_a_hash_is_stored_and_last_use_is_recorded(client, world):
    secret = personal_token(world.author)
    db.session.commit()
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == world.author.id))
    assert secret not in (token.token_hash, token.prefix) and token.last_used_at is None
    client.get("/api/v1/entries", headers=bearer(secret))
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at is not None


def test_a_client_reads_only_its_granted_years(client, world):
    other_year = make_year("2030-2031")
    other = make_cohort(year=other_year, framework=world.framework, name="Talent 2030")
    _, _, token = client_token(world.lead, [world.year.id])
    db.session.commit()
    cohorts = {item["id"] for item in walk(client, "/api/v1/cohorts", bearer(token))}
    granted = set(db.session.scalars(select(Cohort.id).where(Cohort.year_id == world.year.id)))
    assert cohorts == granted and other.id not in cohorts
    assert {item["id"] for item in walk(client, "/api/v1/years", bearer(token))} == {
        world.year.id}
    assert all(item["cohort_id"] in granted
               for resource in ("memberships", "progress", "review-requests")
               for item in walk(client, f"/api/v1/{resource}", bearer(token)))
    for resource in ("entries", "evidence"):  # a lead's own portfolio is no client's
        _problem(client.get(f"/api/v1/{resource}", headers=bearer(token)), 403)


def test_the_token_endpoint(client, world):
    registered, secret, _ = client_token(world.lead, [world.year.id])
    db.session.commit()
    basic = base64.b64encode(f"{registered.client_id}:{secret}".encode()).decode()
    response = client.post("/api/v1/oauth/token", data={"grant_type": "client_credentials"},
                           headers={"Authorization": f"Basic {basic}"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert client.get("/api/v1/cohorts", headers=bearer(body["access_token"])).status_code == 200
    narrow = client.post("/api/v1/oauth/token", data={
        "grant_type": "client_credentials", "client_id": registered.client_id,
        "client_secret": secret, "scope": "read:years"}).get_json()
    _problem(client.get("/api/v1/cohorts", headers=bearer(narrow["access_token"])), 403)
    wrong = client.post("/api/v1/oauth/token", data={
        "grant_type": "client_credentials", "client_id": registered.client_id,
        "client_secret": "guess"})
    assert _problem(wrong, 401)["error"] == "invalid_client"
    too_wide = client.post("/api/v1/oauth/token", data={
        "grant_type": "client_credentials", "client_id": registered.client_id,
        "client_secret": secret, "scope": "read:entries"})
    assert _problem(too_wide, 400)["error"] == "invalid_scope"
    revoke_client(world.lead, registered)
    db.session.commit()
    _problem(client.get("/api/v1/cohorts", headers=bearer(body["access_token"])), 401)
    _problem(client.post("/api/v1/oauth/token", data={
        "grant_type": "client_credentials", "client_id": registered.client_id,
        "client_secret": secret}), 401)


def test_a_client_stops_when_its_lead_is_no_longer_a_lead(client, world):
    _, _, token = client_token(world.lead, [world.year.id])
    world.lead.is_programme_lead = False
    db.session.commit()
    _problem(client.get("/api/v1/cohorts", headers=bearer(token)), 401)


def test_cursors_walk_every_item_exactly_once(client, world):
    token = personal_token(world.admin)
    db.session.commit()
    for resource in LISTS:
        everything = walk(client, f"/api/v1/{resource}", bearer(token), limit=200)
        for limit in (1, 3):
            paged = walk(client, f"/api/v1/{resource}", bearer(token), limit=limit)
            assert [item["id"] for item in paged] == [item["id"] for item in everything]


def test_updated_since_keeps_only_later_changes(client, world):
    token = personal_token(world.author)
    db.session.commit()
    cutoff = utcnow()
    later = world.entries["peers"]
    later.title = "Changed after the cutoff"
    db.session.commit()
    items = walk(client, "/api/v1/entries", bearer(token),
                 updated_since=cutoff.isoformat())
    assert [item["id"] for item in items] == [later.id]


def test_bad_parameters_are_422_problems(client, world):
    token = personal_token(world.author)
    db.session.commit()
    for query in ({"cursor": "not-a-cursor"}, {"limit": 0}, {"limit": 10_000},
                  {"updated_since": "yesterday"}):
        _problem(client.get("/api/v1/entries", headers=bearer(token), query_string=query), 422)


def test_the_rate_limit_answers_429_with_retry_after(make_app):
    app = make_app(API_RATE_LIMIT=3, API_RATE_WINDOW=3600)
    with app.app_context():
        world = api_world()
        token = personal_token(world.author)
        db.session.commit()
        client = app.test_client()
        statuses = [client.get("/api/v1/entries", headers=bearer(token)).status_code
                    for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        response = client.get("/api/v1/entries", headers=bearer(token))
        _problem(response, 429)
        assert 0 < int(response.headers["Retry-After"]) <= 3600
        other = personal_token(world.peer)  # the limit is per token
        db.session.commit()
        assert client.get("/api/v1/entries", headers=bearer(other)).status_code == 200
        db.session.remove()


def test_a_token_is_made_on_the_page_and_shown_once(client, world, login):
    login(world.author)
    page = client.get("/account/api-tokens")
    response = client.post("/account/api-tokens", data={
        "csrf_token": csrf_token_from(page.get_data(as_text=True)), "name": "Spreadsheet",
        "access": "read", "resources": ["entries", "cohorts"], "days": "30"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Copy your new token now" in html
    secret = html.split('id="new-token" class="token-secret">')[1].split("<")[0]
    assert client.get("/api/v1/cohorts", headers=bearer(secret)).status_code == 200
    again = client.get("/account/api-tokens").get_data(as_text=True)
    assert secret not in again and "Spreadsheet" in again and "Never" not in again


def test_a_lead_registers_a_client_on_the_page(client, world, login):
    login(world.lead)
    page = client.get("/api/clients")
    response = client.post("/api/clients", data={
        "csrf_token": csrf_token_from(page.get_data(as_text=True)), "name": "Federation LMS",
        "resources": ["cohorts", "progress"], "years": [str(world.year.id)]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="new-secret"' in html
    secret = html.split('id="new-secret">')[1].split("<")[0]
    client_id = html.split("<dt>Client id</dt><dd><code>")[1].split("<")[0]
    issued = client.post("/api/v1/oauth/token", data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
    assert issued.status_code == 200
    assert secret not in client.get("/api/clients").get_data(as_text=True)


def test_the_document_and_docs_page_are_served_locally(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert {"/api/v1/cohorts", "/api/v1/oauth/token", "/api/v1/entries"} <= set(
        document["paths"])
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert "GET /api/v1/cohorts" in html and "<script src=\"http" not in html


def test_an_address_the_api_does_not_know_is_a_404_problem(client, world):
    for path in ("/api/v1/nothing-here", "/api/v1/cohorts/extra/part", "/api/v2/cohorts"):
        body = _problem(client.get(path), 404)
        assert body["instance"] == path
