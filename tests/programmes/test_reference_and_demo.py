"""Seeded pathways and specialisms, the managed lists, page query counts and demo data."""

import pytest
from sqlalchemy import event, func, select

from portfolio.audit.models import AuditEvent
from portfolio.extensions import db
from portfolio.programmes import services
from portfolio.programmes.models import (
    Cohort,
    CohortMembership,
    Pathway,
    PeerGroup,
    ProgrammeYear,
    Specialism,
)
from portfolio.reference_data import ensure_reference_data
from tests.factories import add_member, make_cohort, make_peer_group, make_user, make_year


def names(model):
    return list(db.session.scalars(select(model.name).order_by(model.position)))


def test_reference_lists_are_seeded_once(app):
    assert names(Pathway) == ["Talent", "Children & Young People", "Performance"]
    assert names(Specialism) == ["Sprints & Hurdles", "Endurance", "Jumps", "Throws",
                                 "Combined Events", "Race Walking", "Wheelchair Racing",
                                 "Ambulant Para"]
    ensure_reference_data()
    ensure_reference_data()
    assert db.session.scalar(select(func.count()).select_from(Specialism)) == 8


def test_lead_adds_renames_and_switches_off_list_items(client, login):
    lead = make_user(lead=True)
    db.session.commit()
    login(lead)
    response = client.post("/programme/lists/specialisms/new",
                           data={"specialisms-name": "Seated Para"})
    assert response.status_code == 302
    item = db.session.scalar(select(Specialism).where(Specialism.name == "Seated Para"))
    duplicate = client.post("/programme/lists/specialisms/new",
                            data={"specialisms-name": "seated para"}).get_data(as_text=True)
    assert "There is already a specialism called" in duplicate
    client.post(f"/programme/lists/specialisms/{item.id}",
                data={"name": "Seated throws", "position": "3"})
    db.session.refresh(item)
    assert (item.name, item.position, item.active) == ("Seated throws", 3, False)
    assert db.session.scalar(select(AuditEvent.summary).where(
        AuditEvent.action == "specialisms.changed")).startswith("active=False")
    assert client.post("/programme/lists/colours/new").status_code == 404


def test_switched_off_specialisms_are_not_offered_for_new_members(client, login):
    lead = make_user(lead=True)
    cohort = make_cohort()
    throws = db.session.scalar(select(Specialism).where(Specialism.name == "Throws"))
    throws.active = False
    db.session.commit()
    login(lead)
    page = client.get(f"/programme/cohorts/{cohort.id}/invite").get_data(as_text=True)
    assert "Jumps" in page and "Throws" not in page


def count_statements(client, url):
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert response.status_code == 200
    return len(statements)


def grow(cohort, candidates: int):
    developer = add_member(cohort, role="coach_developer")
    members = [add_member(cohort, developer=developer.user) for _ in range(candidates)]
    for start in range(0, candidates - 1, 3):
        make_peer_group(cohort, members[start:start + 3])


@pytest.mark.parametrize("page", ["overview", "cohort"])
def test_pages_issue_the_same_number_of_statements_whatever_the_size(client, login, page):
    lead = make_user(lead=True)
    small = make_cohort(year=make_year("2026-2027"), name="Small")
    grow(small, 3)
    db.session.commit()
    login(lead)
    url = "/programme/" if page == "overview" else f"/programme/cohorts/{small.id}"
    few = count_statements(client, url)
    year = db.session.get(ProgrammeYear, small.year_id)
    for n in range(4):
        grow(make_cohort(year=year, name=f"Extra {n}"), 6)
    grow(small, 12)
    db.session.commit()
    assert count_statements(client, url) == few


def test_demo_seeder_creates_the_programme_once(app):
    from portfolio.demo import seed_accounts
    from portfolio.demo.programmes import seed

    users, _ = seed_accounts()
    assert seed(users) is True
    years = {y.label: y.status for y in db.session.scalars(select(ProgrammeYear))}
    assert years == {"2025-2026": "closed", "2026-2027": "active"}
    talent = db.session.scalar(select(Cohort).where(Cohort.name == "Talent 2026-2027"))
    assert talent.framework.name == "Advanced Coach Competency Framework"
    assert talent.framework.status == "published"
    assert len(talent.framework.areas) == 7
    assert all(2 <= len(area.competencies) <= 4 for area in talent.framework.areas)
    assert any(c.peer_signoffs_required for c in talent.framework.competencies)
    by_email = {m.user.email: m for m in talent.memberships}
    assert by_email["developer@example.org"].role == "coach_developer"
    candidates = [by_email[f"coach{n}@example.org"] for n in (1, 2, 3)]
    assert all(m.coach_developer.email == "developer@example.org" for m in candidates)
    assert all(m.specialisms for m in candidates)
    group = db.session.scalar(select(PeerGroup).where(PeerGroup.cohort_id == talent.id))
    assert {link.membership_id for link in group.members} == {m.id for m in candidates}
    pilot = db.session.scalar(select(Cohort).where(Cohort.name == "Talent pilot 2025-2026"))
    assert talent.rolled_over_from_id == pilot.id
    assert {m.status for m in pilot.memberships if m.is_candidate} == {"completed", "deferred"}
    before = db.session.scalar(select(func.count()).select_from(CohortMembership))
    assert seed(users) is False
    assert db.session.scalar(select(func.count()).select_from(CohortMembership)) == before


def test_year_status_route_refuses_an_unknown_step_with_a_message(client, login):
    lead = make_user(lead=True)
    year = make_year(status="planning")
    db.session.commit()
    login(lead)
    page = client.post(f"/programme/years/{year.id}/status", data={"status": "archived"},
                       follow_redirects=True).get_data(as_text=True)
    assert f"{year.label} is planning, so it can only be made active next, not archived" in page
    assert services.YEAR_TRANSITIONS["planning"] == ("active",)
