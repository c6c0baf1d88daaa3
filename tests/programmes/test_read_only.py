"""An archived programme year is read-only: every write route refuses, one by one."""

import io

import pytest
from sqlalchemy import func, select

from portfolio.audit.models import AuditEvent
from portfolio.auth.models import User
from portfolio.errors import ReadOnlyError
from portfolio.extensions import db
from portfolio.mail.models import OutboxMessage
from portfolio.programmes import member_import, membership, rollover, services
from portfolio.programmes.models import (
    Cohort,
    CohortMembership,
    MemberImport,
    PeerGroup,
    PeerGroupMember,
    ProgrammeYear,
)
from tests.factories import make_scenario, make_user
from tests.programmes.builders import archive, csv_bytes, next_year

MESSAGE = "programme year is archived, so nothing in it can be changed"


@pytest.fixture
def world(app):
    s = make_scenario()
    s.next_year = next_year()
    s.newcomer = make_user(password=False)
    s.newcomer_membership = membership.place_member(
        s.lead, s.cohort, s.newcomer, "candidate", [], None, invited=True)
    s.staged = member_import.stage_import(s.lead, s.cohort, "people.csv", csv_bytes(
        [["new.person@example.org", "New Person", "candidate", "", ""]]))
    archive(s.year)
    db.session.commit()
    return s


def snapshot():
    """Everything a write route could change, so 'nothing saved' is checked for real."""
    def rows(statement):
        return sorted(tuple(row) for row in db.session.execute(statement))

    return {
        "years": rows(select(ProgrammeYear.id, ProgrammeYear.label, ProgrammeYear.status,
                             ProgrammeYear.ends_on)),
        "cohorts": rows(select(Cohort.id, Cohort.name, Cohort.capacity, Cohort.framework_id,
                               Cohort.year_id)),
        "members": rows(select(CohortMembership.id, CohortMembership.role,
                               CohortMembership.status, CohortMembership.coach_developer_id)),
        "groups": rows(select(PeerGroup.id, PeerGroup.name)),
        "links": rows(select(PeerGroupMember.peer_group_id, PeerGroupMember.membership_id)),
        "imports": rows(select(MemberImport.id, MemberImport.status)),
        "users": db.session.scalar(select(func.count()).select_from(User)),
        "audit": db.session.scalar(select(func.count()).select_from(AuditEvent)),
        "mail": db.session.scalar(select(func.count()).select_from(OutboxMessage)),
    }


def cohort(w):
    return f"/programme/cohorts/{w.cohort.id}"


def member(w):
    return f"{cohort(w)}/members/{w.author_membership.id}"


def group(w):
    return f"{cohort(w)}/peer-groups/{w.peer_group.id}"


WRITE_ROUTES = {
    "edit year": (lambda w: f"/programme/years/{w.year.id}/edit",
                  lambda w: {"label": w.year.label, "starts_on": "2026-09-01",
                             "ends_on": "2027-12-31"}),
    "change year status": (lambda w: f"/programme/years/{w.year.id}/status",
                           lambda w: {"status": "active"}),
    "add cohort to year": (lambda w: f"/programme/years/{w.year.id}/cohorts/new",
                           lambda w: {"name": "Late cohort", "pathway_id": w.cohort.pathway_id,
                                      "framework_id": w.framework.id,
                                      "onboarding_on": "2026-09-01", "ends_on": "2027-08-01",
                                      "turnaround_days": "14", "capacity": "10"}),
    "edit cohort": (lambda w: f"{cohort(w)}/edit",
                    lambda w: {"name": "Renamed", "pathway_id": w.cohort.pathway_id,
                               "framework_id": w.framework.id, "onboarding_on": "2026-09-01",
                               "ends_on": "2027-08-01", "turnaround_days": "7",
                               "capacity": "99"}),
    "invite": (lambda w: f"{cohort(w)}/invite",
               lambda w: {"email": "late@example.org", "name": "Late", "role": "candidate"}),
    "upload CSV": (lambda w: f"{cohort(w)}/import",
                   lambda w: {"file": (io.BytesIO(csv_bytes(
                       [["x@example.org", "X", "candidate", "", ""]])), "people.csv")}),
    "confirm CSV": (lambda w: f"{cohort(w)}/import/{w.staged.id}/confirm", lambda w: {}),
    "change member": (member, lambda w: {"role": "candidate", "status": "withdrawn",
                                         "developer_id": ""}),
    "resend invitation": (lambda w: f"{cohort(w)}/members/{w.newcomer_membership.id}"
                                    "/resend-invitation", lambda w: {}),
    "add peer group": (lambda w: f"{cohort(w)}/peer-groups/new",
                       lambda w: {"name": "New circle",
                                  "membership_ids": [str(w.outsider_membership.id),
                                                     str(w.newcomer_membership.id)]}),
    "change peer group": (group, lambda w: {"name": "Renamed circle",
                                            "membership_ids": [str(w.author_membership.id),
                                                               str(w.outsider_membership.id)]}),
    "delete peer group": (lambda w: group(w) + "/delete", lambda w: {}),
    "preview rollover": (lambda w: f"{cohort(w)}/rollover",
                         lambda w: {"year_id": w.next_year.id, "name": "Next",
                                    "framework_id": w.framework.id, "action": "preview"}),
    "confirm rollover": (lambda w: f"{cohort(w)}/rollover",
                         lambda w: {"year_id": w.next_year.id, "name": "Next",
                                    "framework_id": w.framework.id, "action": "confirm"}),
}


@pytest.mark.parametrize("name", sorted(WRITE_ROUTES))
def test_write_route_refuses_in_an_archived_year(client, login, world, name):
    url, data = WRITE_ROUTES[name]
    before = snapshot()
    login(world.lead)
    response = client.post(url(world), data=data(world), content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"The {world.year.label} {MESSAGE}" in page
    db.session.expire_all()
    assert snapshot() == before


FORM_PAGES = ["/edit", "/invite", "/import", "/rollover", "/peer-groups/new"]


@pytest.mark.parametrize("suffix", FORM_PAGES)
def test_form_pages_of_an_archived_cohort_explain_instead_of_offering_a_form(client, login,
                                                                              world, suffix):
    login(world.lead)
    response = client.get(cohort(world) + suffix, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert MESSAGE in page and "<form method=\"post\" novalidate" not in page


def test_cohort_page_of_an_archived_year_is_readable_without_change_buttons(client, login,
                                                                            world):
    login(world.lead)
    page = client.get(cohort(world)).get_data(as_text=True)
    assert "is archived: this cohort is read-only" in page
    assert "Invite someone" not in page and "Start next year" not in page
    login(world.author)
    assert client.get(cohort(world)).status_code == 200


def test_services_refuse_too(world):
    s = world
    lead = s.lead
    calls = [
        lambda: services.update_year(lead, s.year, services.YearDetails(
            s.year.label, s.year.starts_on, s.year.ends_on)),
        lambda: services.change_year_status(lead, s.year, "active"),
        lambda: services.create_cohort(lead, s.year, None),
        lambda: services.update_cohort(lead, s.cohort, None),
        lambda: membership.add_member(lead, s.cohort, membership.NewMember(
            "x@example.org", "X", "candidate")),
        lambda: membership.update_membership(lead, s.author_membership,
                                             membership.MembershipChanges(
                                                 "candidate", "withdrawn", None)),
        lambda: membership.resend_invitation(lead, s.newcomer_membership),
        lambda: membership.save_peer_group(lead, s.cohort, None, "X", []),
        lambda: membership.delete_peer_group(lead, s.peer_group),
        lambda: member_import.stage_import(lead, s.cohort, "a.csv", b"email,name,role\n"),
        lambda: member_import.confirm_import(lead, s.staged),
        lambda: rollover.plan_rollover(s.cohort, s.next_year.id, s.framework.id, "X", []),
    ]
    for call in calls:
        with pytest.raises(ReadOnlyError):
            call()
    # Accepting an invitation later does not touch an archived year's membership.
    assert membership.activate_invited_memberships(s.newcomer) == []
    assert s.newcomer_membership.status == "invited"


def test_a_closed_year_is_still_writable(app):
    s = make_scenario()
    s.year.status = "closed"
    added, invited = membership.add_member(s.lead, s.cohort, membership.NewMember(
        "x@example.org", "X", "candidate"))
    assert added.cohort_id == s.cohort.id and invited
