"""Tokens for tests: a personal token for any person, a registered client and its token."""

from __future__ import annotations

from portfolio.api import services
from portfolio.api.scopes import CLIENT_RESOURCES, RESOURCES


def personal_token(user, access="write", resources=tuple(RESOURCES), days=30) -> str:
    _, secret = services.create_personal_token(user, "test token", access, list(resources), days)
    return secret


def client_token(lead, year_ids, resources=CLIENT_RESOURCES) -> tuple[object, str, str]:
    """(client, client secret, bearer token) for a client granted `year_ids`."""
    client, secret = services.register_client(lead, "Learning management system",
                                               list(resources), list(year_ids))
    _, bearer = services.issue_client_token(client.client_id, secret, None)
    return client, secret, bearer


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def walk(client, path, headers, limit=2, **params) -> list[dict]:
    """Every item of a list, page by page; fails on a repeated id."""
    items, cursor = [], None
    for _ in range(1000):
        query = {"limit": limit, **params} | ({"cursor": cursor} if cursor else {})
        response = client.get(path, headers=headers, query_string=query)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)), f"{path}: an item came twice"
    return items


def api_world():
    """make_scenario() plus the cross-cohort people, and something of each resource in cohort
    A: entries of every tier, evidence shown through one, a review request, sign-offs (one on
    a private entry), a completion; and the same in cohort B and the later cohort."""
    from datetime import date, timedelta

    from portfolio.extensions import db
    from portfolio.reviews.models import ProgrammeCompletion, ReviewRequest
    from tests.factories import competency, make_entry, make_link_evidence, make_scenario
    from tests.policy_world import add_cross_cohort_actors
    from tests.programmes.builders import make_signoff

    world = make_scenario()
    add_cross_cohort_actors(world)
    vp1 = competency(world.framework, "VP1")
    shown = make_link_evidence(world.author, title="Shown video")
    make_link_evidence(world.author, title="Unused video")
    world.entries = {tier: make_entry(world.author, cohort=world.cohort, privacy=tier,
                                      title=f"A {tier}", competencies=[vp1],
                                      evidence=[shown] if tier == "peers" else [])
                     for tier in ("private", "developers", "peers", "cohort")}
    make_entry(world.author, cohort=world.cohort, title="A draft", published=False)
    make_entry(world.author, cohort=world.later_cohort, privacy="cohort", title="Later work")
    make_entry(world.other_candidate, cohort=world.other_cohort, privacy="cohort", title="B")
    for tier, entry in world.entries.items():
        make_signoff(world.author, world.framework, "VP1", world.developer, entry=entry)
        db.session.add(ReviewRequest(
            entry_id=entry.id, entry_version_id=entry.versions[-1].id,
            candidate_id=world.author.id, cohort_id=world.cohort.id, status="open",
            due_on=date.today() + timedelta(days=14)))
    db.session.add(ProgrammeCompletion(membership_id=world.peer_membership.id,
                                       recorded_by_id=world.lead.id))
    db.session.flush()
    return world
