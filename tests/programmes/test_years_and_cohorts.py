"""Programme years and cohorts: a lead sets them up; bad input is refused by the field."""

from datetime import date

import pytest
from sqlalchemy import func, select

from portfolio.audit.models import AuditEvent
from portfolio.extensions import db
from portfolio.programmes import services
from portfolio.programmes.models import Cohort, Pathway, ProgrammeYear
from tests.factories import make_cohort, make_framework, make_user, make_year


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def actions():
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.fixture
def lead(app):
    user = make_user(name="Priya Lead", lead=True)
    db.session.commit()
    return user


def cohort_form(framework, **overrides):
    pathway = db.session.scalar(select(Pathway).where(Pathway.name == "Talent"))
    data = {"name": "Talent 2026-2027", "pathway_id": str(pathway.id),
            "framework_id": str(framework.id), "onboarding_on": "2026-09-14",
            "ends_on": "2027-08-31", "turnaround_days": "14", "capacity": "20"}
    data.update(overrides)
    return data


def test_lead_adds_a_year_and_a_cohort_in_it(client, login, lead):
    framework = make_framework("Coaching framework")
    db.session.commit()
    login(lead)
    form = client.get("/programme/years/new").get_data(as_text=True)
    assert 'name="label"' in form
    response = client.post("/programme/years/new", data={
        "label": "2026-2027", "starts_on": "2026-09-01", "ends_on": "2027-08-31"})
    assert response.status_code == 302
    year = db.session.scalar(select(ProgrammeYear).where(ProgrammeYear.label == "2026-2027"))
    assert year.status == "planning"
    response = client.post(f"/programme/years/{year.id}/cohorts/new",
                           data=cohort_form(framework), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Cohort Talent 2026-2027 added" in page
    cohort = db.session.scalar(select(Cohort).where(Cohort.year_id == year.id))
    assert (cohort.capacity, cohort.turnaround_days, cohort.framework_id) == (20, 14,
                                                                              framework.id)
    assert actions()[-2:] == ["year.created", "cohort.created"]


def test_year_ending_before_it_starts_is_refused_next_to_the_field(client, login, lead):
    login(lead)
    response = client.post("/programme/years/new", data={
        "label": "2026-2027", "starts_on": "2026-09-01", "ends_on": "2026-08-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="ends_on-error"' in page and "must be after the start date" in page
    assert 'href="#ends_on"' in page  # the error summary links to the field
    assert 'value="2026-2027"' in page  # the rest of the form is kept
    assert count(ProgrammeYear) == 0


@pytest.mark.parametrize("label, message", [
    ("2026-2028", "two consecutive years"),
    ("26-27", "two consecutive years"),
    ("2026-2027", "already a programme year"),
])
def test_year_label_must_be_two_consecutive_years_and_unique(app, lead, label, message):
    make_year("2026-2027")
    with pytest.raises(services.DomainError) as caught:
        services.create_year(lead, services.YearDetails(label, date(2030, 9, 1),
                                                         date(2031, 8, 31)))
    assert message in caught.value.message and caught.value.field == "label"


def test_cohort_ending_before_onboarding_is_refused(client, login, lead):
    year = make_year("2026-2027")
    framework = make_framework()
    db.session.commit()
    login(lead)
    response = client.post(f"/programme/years/{year.id}/cohorts/new",
                           data=cohort_form(framework, ends_on="2026-09-01"))
    page = response.get_data(as_text=True)
    assert 'id="ends_on-error"' in page and "after the onboarding date" in page
    assert count(Cohort) == 0


def test_duplicate_cohort_name_in_a_year_is_refused_but_fine_in_another_year(client, login,
                                                                             lead):
    year, other_year = make_year("2026-2027"), make_year("2027-2028")
    framework = make_framework()
    make_cohort(year=year, framework=framework, name="Talent")
    db.session.commit()
    login(lead)
    response = client.post(f"/programme/years/{year.id}/cohorts/new",
                           data=cohort_form(framework, name="Talent"))
    page = response.get_data(as_text=True)
    assert 'id="name-error"' in page and "already a cohort called" in page
    assert count(Cohort) == 1
    response = client.post(f"/programme/years/{other_year.id}/cohorts/new",
                           data=cohort_form(framework, name="Talent"))
    assert response.status_code == 302 and count(Cohort) == 2


@pytest.mark.parametrize("status", ["draft", "retired"])
def test_a_cohort_cannot_use_an_unpublished_framework(client, login, lead, status):
    year = make_year("2026-2027")
    framework = make_framework("Work in progress", status=status)
    db.session.commit()
    login(lead)
    response = client.post(f"/programme/years/{year.id}/cohorts/new",
                           data=cohort_form(framework))
    page = response.get_data(as_text=True)
    assert 'id="framework_id-error"' in page and "must use a published framework" in page
    assert count(Cohort) == 0


def test_changing_a_cohort_to_a_draft_framework_is_refused(client, login, lead):
    cohort = make_cohort()
    draft = make_framework("Draft", status="draft")
    db.session.commit()
    login(lead)
    data = cohort_form(draft, name=cohort.name)
    response = client.post(f"/programme/cohorts/{cohort.id}/edit", data=data)
    assert "must use a published framework" in response.get_data(as_text=True)
    db.session.refresh(cohort)
    assert cohort.framework_id != draft.id


def test_capacity_cannot_drop_below_the_candidates_already_in(app, lead):
    from tests.factories import add_member

    cohort = make_cohort(capacity=5)
    for _ in range(3):
        add_member(cohort)
    details = services.CohortDetails(cohort.name, cohort.pathway_id, cohort.framework_id,
                                      cohort.onboarding_on, cohort.ends_on, 14, 2)
    with pytest.raises(services.DomainError) as caught:
        services.update_cohort(lead, cohort, details)
    assert caught.value.field == "capacity" and "already has 3 candidates" in caught.value.message


def test_bad_numbers_and_dates_are_refused_without_an_error_page(client, login, lead):
    year = make_year("2026-2027")
    framework = make_framework()
    db.session.commit()
    login(lead)
    response = client.post(f"/programme/years/{year.id}/cohorts/new", data=cohort_form(
        framework, capacity="lots", onboarding_on="31/02/2026", pathway_id="x"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="capacity-error"' in page and 'id="onboarding_on-error"' in page
    assert count(Cohort) == 0


def test_year_moves_through_its_statuses_and_archiving_is_final(app, lead):
    year = make_year("2026-2027", status="planning")
    with pytest.raises(services.DomainError):
        services.change_year_status(lead, year, "archived")  # must be closed first
    for status in ("active", "closed", "active", "closed", "archived"):
        services.change_year_status(lead, year, status)
    assert year.status == "archived"
    with pytest.raises(services.ReadOnlyError):
        services.change_year_status(lead, year, "active")
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "year.status_changed")).all()
    assert len(events) == 5 and "status=archived" in events[-1].summary


def test_overview_shows_years_cohorts_and_member_counts(client, login, lead):
    from tests.factories import add_member

    year = make_year("2026-2027")
    cohort = make_cohort(year=year, name="Talent North", capacity=12)
    add_member(cohort, role="coach_developer")
    for status in ("active", "active", "invited", "deferred", "withdrawn"):
        add_member(cohort, status=status)
    db.session.commit()
    login(lead)
    page = client.get("/programme/").get_data(as_text=True)
    assert "2026-2027" in page and "Talent North" in page
    assert "4 of 12" in page  # withdrawn candidates do not take a place
    assert "2 active, 1 invited, 1 deferred, 1 withdrawn" in page
