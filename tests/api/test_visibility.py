"""Each resource gives every role exactly what its pages show: the API's lists are compared
with the pages' own per-object predicates over every row, for every role of the matrix
(cross-cohort people included), through a personal token walked page by page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portfolio.entries.permissions import can_view_entry
from portfolio.evidence.models import Evidence
from portfolio.evidence.permissions import can_view_evidence
from portfolio.extensions import db
from portfolio.frameworks.models import Framework
from portfolio.frameworks.permissions import can_view_framework
from portfolio.programmes.models import Cohort, CohortMembership
from portfolio.programmes.permissions import can_see_member_emails, can_view_cohort
from portfolio.reviews.models import ReviewRequest, Signoff
from portfolio.reviews.permissions import can_view_progress, can_view_request
from tests.api.builders import api_world, bearer, personal_token, walk

ROLES = ("author", "peer", "outsider", "developer", "other_developer", "other_candidate",
         "lead", "admin", "stranger", "earlier_developer", "earlier_candidate",
         "later_developer", "later_candidate")


def _all(model):
    return list(db.session.scalars(select(model).order_by(model.id)))


def expected(user) -> dict[str, set]:
    """What the pages let `user` see, object by object."""
    cohorts = {c.id for c in _all(Cohort) if can_view_cohort(user, c)}
    visible_cohorts = [c for c in _all(Cohort) if c.id in cohorts]
    years = ({c.year_id for c in _all(Cohort)} | {y for y in _years()}
             if user.is_admin or user.is_programme_lead
             else {c.year_id for c in visible_cohorts})
    return {
        "years": years,
        "cohorts": cohorts,
        "memberships": {m.id for m in _all(CohortMembership) if m.cohort_id in cohorts},
        "frameworks": {f.id for f in _all(Framework) if can_view_framework(user, f)},
        "progress": {m.id for m in _all(CohortMembership) if can_view_progress(user, m)},
        "review-requests": {r.id for r in _all(ReviewRequest) if can_view_request(user, r)},
        "signoffs": {s.id for s in _all(Signoff) if can_view_entry(user, s.entry)},
        "entries": {e.id for e in user_entries(user)},
        "evidence": {e.id for e in _all(Evidence) if can_view_evidence(user, e)},
    }


def _years():
    from portfolio.programmes.models import ProgrammeYear

    return {year.id for year in _all(ProgrammeYear)}


def user_entries(user):
    from portfolio.entries.models import Entry

    return db.session.scalars(select(Entry).where(Entry.owner_id == user.id))


@pytest.fixture
def world(app):
    world = api_world()
    world.tokens = {role: personal_token(getattr(world, role)) for role in ROLES}
    db.session.commit()
    return world


@pytest.mark.parametrize("role", ROLES)
def test_every_list_holds_exactly_what_the_pages_show(client, world, role):
    user = getattr(world, role)
    wanted = expected(user)
    for resource, ids in wanted.items():
        got = {item["id"] for item in walk(client, f"/api/v1/{resource}",
                                           bearer(world.tokens[role]))}
        assert got == ids, f"{role} {resource}: got {sorted(got)}, pages show {sorted(ids)}"


@pytest.mark.parametrize("role", ["earlier_developer", "earlier_candidate", "later_developer",
                                  "later_candidate", "other_developer", "other_candidate",
                                  "stranger"])
def test_people_outside_cohort_a_get_nothing_of_it(client, world, role):
    headers = bearer(world.tokens[role])
    cohort_a = world.cohort.id
    assert cohort_a not in {c["id"] for c in walk(client, "/api/v1/cohorts", headers)}
    assert all(m["cohort_id"] != cohort_a
               for m in walk(client, "/api/v1/memberships", headers))
    assert all(p["cohort_id"] != cohort_a for p in walk(client, "/api/v1/progress", headers))
    assert all(r["cohort_id"] != cohort_a
               for r in walk(client, "/api/v1/review-requests", headers))
    cohort_a_entries = {entry.id for entry in world.entries.values()}
    assert not {s["entry_id"] for s in walk(client, "/api/v1/signoffs", headers)} \
        & cohort_a_entries
    assert not walk(client, "/api/v1/evidence", headers)


@pytest.mark.parametrize("role", ["author", "peer", "developer", "lead"])
def test_emails_show_as_on_the_cohort_page(client, world, role):
    user = getattr(world, role)
    for item in walk(client, "/api/v1/memberships", bearer(world.tokens[role])):
        cohort = db.session.get(Cohort, item["cohort_id"])
        assert (item["email"] is not None) == can_see_member_emails(user, cohort), item


def test_progress_and_completion_are_those_of_the_progress_page(client, world):
    items = walk(client, "/api/v1/progress", bearer(world.tokens["developer"]))
    by_candidate = {item["candidate_id"]: item for item in items
                    if item["cohort_id"] == world.cohort.id}
    assert by_candidate[world.peer.id]["completed"] is True
    assert by_candidate[world.author.id]["completed"] is False
    author = by_candidate[world.author.id]
    assert {part["code"] for part in author["competencies"]} == {"VP1", "VP2", "RP1"}
    vp1 = next(part for part in author["competencies"] if part["code"] == "VP1")
    assert vp1["state"] == "signed_off" and vp1["developer_signoffs"] >= 1


@pytest.mark.parametrize("role", ["lead", "admin"])
def test_a_client_token_reads_as_its_lead_within_the_granted_year(client, world, role):
    """The second token kind: what the registering lead's pages show, of the granted year."""
    from portfolio.programmes.models import Cohort as CohortModel
    from tests.api.builders import client_token

    user = getattr(world, role)
    _, _, token = client_token(user, [world.year.id])
    db.session.commit()
    in_year = set(db.session.scalars(select(CohortModel.id).where(
        CohortModel.year_id == world.year.id)))
    wanted = expected(user)
    narrowed = {
        "years": {world.year.id},
        "cohorts": wanted["cohorts"] & in_year,
        "memberships": {m.id for m in _all(CohortMembership)
                        if m.id in wanted["memberships"] and m.cohort_id in in_year},
        "progress": {m.id for m in _all(CohortMembership)
                     if m.id in wanted["progress"] and m.cohort_id in in_year},
        "review-requests": {r.id for r in _all(ReviewRequest)
                            if r.id in wanted["review-requests"] and r.cohort_id in in_year},
        "signoffs": {s.id for s in _all(Signoff)
                     if s.id in wanted["signoffs"] and s.entry.cohort_id in in_year},
    }
    for resource, ids in narrowed.items():
        got = {item["id"] for item in walk(client, f"/api/v1/{resource}", bearer(token))}
        assert got == ids, f"client of {role} {resource}: {sorted(got)} != {sorted(ids)}"


@pytest.mark.parametrize("role", ROLES)
def test_starting_a_draft_is_for_candidates_as_on_the_pages(client, world, role):
    from portfolio.entries.authoring import can_write_portfolio

    user = getattr(world, role)
    response = client.post("/api/v1/entries", json={"title": "Sprint drills"},
                           headers=bearer(world.tokens[role]))
    assert response.status_code == (201 if can_write_portfolio(user) else 422), role
