"""Membership rules hold when two leads act on one cohort at the same moment.

Each rule is checked and then written: free places against the capacity, a staged import
not yet imported, a programme year's next status. Two requests deciding at once each passed
the check and together broke the rule. Each test makes them overlap at the worst step
(tests/races.py); the second must wait for the first and then see what it left.
"""

from __future__ import annotations

from sqlalchemy import func, select

from portfolio.auth.models import User
from portfolio.errors import DomainError
from portfolio.extensions import db
from portfolio.programmes import member_import
from portfolio.programmes import membership as members
from portfolio.programmes import services as programme_services
from portfolio.programmes.models import Cohort, CohortMembership, MemberImport, ProgrammeYear
from tests.factories import add_member, make_cohort, make_user, make_year
from tests.programmes.builders import csv_bytes
from tests.races import overlap_after, overlap_on_property


def candidates_in(cohort_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(CohortMembership.id)).where(
        CohortMembership.cohort_id == cohort_id, CohortMembership.role == "candidate"))


def test_two_leads_adding_the_last_place_at_once_fill_it_once(app, monkeypatch):
    cohort = make_cohort(capacity=2)
    add_member(cohort, make_user(name="Already In"))
    lead, other_lead = make_user(name="Lee Lead", lead=True), make_user(name="Lou Lead", lead=True)
    db.session.commit()
    cohort_id, other_lead_id = cohort.id, other_lead.id

    def add_another():
        members.add_member(db.session.get(User, other_lead_id), db.session.get(Cohort, cohort_id),
                           members.NewMember("second@example.org", "Second Sprinter",
                                             "candidate"))

    overlap = overlap_after(monkeypatch, members, "check_capacity", app, add_another)
    members.add_member(lead, cohort, members.NewMember("first@example.org", "First Sprinter",
                                                       "candidate"))
    db.session.commit()

    outcome, error = overlap.finish()
    assert outcome == "refused" and isinstance(error, DomainError), (outcome, error)
    assert "The cohort is full" in error.message
    assert candidates_in(cohort_id) == 2


def test_a_withdrawn_candidate_brought_back_while_the_last_place_is_taken_is_refused(
        app, monkeypatch):
    cohort = make_cohort(capacity=1)
    returning = add_member(cohort, make_user(name="Ros Returning"), status="withdrawn")
    lead = make_user(name="Lee Lead", lead=True)
    db.session.commit()
    cohort_id, lead_id, returning_id = cohort.id, lead.id, returning.id

    def take_the_place():
        members.add_member(db.session.get(User, lead_id), db.session.get(Cohort, cohort_id),
                           members.NewMember("new@example.org", "Nell New", "candidate"))

    overlap = overlap_after(monkeypatch, members, "check_capacity", app, take_the_place)
    members.change_status(lead, returning, "active")
    db.session.commit()

    outcome, error = overlap.finish()
    assert outcome == "refused" and "The cohort is full" in error.message, (outcome, error)
    assert candidates_in(cohort_id) == 1
    assert db.session.get(CohortMembership, returning_id).status == "active"


def test_an_import_confirmed_twice_at_once_imports_its_people_once(app, monkeypatch):
    cohort = make_cohort(capacity=10)
    lead = make_user(name="Lee Lead", lead=True)
    db.session.commit()
    staged = member_import.stage_import(lead, cohort, "people.csv", csv_bytes(
        [["ana@example.org", "Ana Athlete", "candidate", "", ""],
         ["ben@example.org", "Ben Blocks", "candidate", "", ""]]))
    db.session.commit()
    staged_id, lead_id = staged.id, lead.id

    def confirm_again():
        member_import.confirm_import(db.session.get(User, lead_id),
                                     db.session.get(MemberImport, staged_id))

    overlap = overlap_after(monkeypatch, member_import, "check_rows", app, confirm_again)
    member_import.confirm_import(lead, staged)
    db.session.commit()

    outcome, error = overlap.finish()
    assert outcome == "refused" and "already been imported" in error.message, (outcome, error)
    assert candidates_in(cohort.id) == 2


def test_a_peer_group_edited_twice_at_once_stays_within_six(app, monkeypatch):
    cohort = make_cohort(capacity=20)
    group_members = [add_member(cohort, make_user(name=f"Runner {n}")) for n in range(8)]
    lead = make_user(name="Lee Lead", lead=True)
    db.session.commit()
    group = members.save_peer_group(lead, cohort, None, "Sprinters",
                                    [m.id for m in group_members[:4]])
    db.session.commit()
    ids = [m.id for m in group_members]
    group_id, cohort_id, lead_id = group.id, cohort.id, lead.id

    def add_two_others():
        from portfolio.programmes.models import PeerGroup
        members.save_peer_group(db.session.get(User, lead_id), db.session.get(Cohort, cohort_id),
                                db.session.get(PeerGroup, group_id), "Sprinters",
                                ids[:4] + ids[6:8])

    overlap = overlap_after(monkeypatch, members, "_peer_group_members", app, add_two_others)
    assert len(group.members) == 4  # the edit page showed the group as it was
    members.save_peer_group(lead, cohort, group, "Sprinters", ids[:6])
    db.session.commit()

    overlap.finish()
    db.session.expire_all()
    from portfolio.programmes.models import PeerGroupMember
    size = db.session.scalar(select(func.count(PeerGroupMember.id)).where(
        PeerGroupMember.peer_group_id == group_id))
    assert size <= 6


def test_a_year_reopened_while_another_lead_archives_it_is_not_archived_behind_it(
        app, monkeypatch):
    year = make_year(label="2025-2026", status="closed")
    lead, other_lead = make_user(name="Lee Lead", lead=True), make_user(name="Lou Lead", lead=True)
    db.session.commit()
    year_id, other_lead_id = year.id, other_lead.id

    def archive():
        programme_services.change_year_status(db.session.get(User, other_lead_id),
                                              db.session.get(ProgrammeYear, year_id), "archived")

    overlap = overlap_after(monkeypatch, programme_services, "refuse_archived_year", app, archive)
    programme_services.change_year_status(lead, year, "active")
    db.session.commit()

    outcome, error = overlap.finish()
    assert outcome == "refused" and isinstance(error, DomainError), (outcome, error)
    db.session.expire_all()
    assert db.session.get(ProgrammeYear, year_id).status == "active"


def test_a_withdrawal_landing_while_the_invitation_is_accepted_stands(app, monkeypatch):
    cohort = make_cohort()
    invited_user = make_user(name="Ivy Invited")
    membership = add_member(cohort, invited_user, status="invited")
    lead = make_user(name="Lee Lead", lead=True)
    db.session.commit()
    membership_id, lead_id = membership.id, lead.id

    def withdraw():
        members.change_status(db.session.get(User, lead_id),
                              db.session.get(CohortMembership, membership_id), "withdrawn")

    overlap = overlap_on_property(monkeypatch, Cohort, "is_read_only", app, withdraw)
    members.activate_invited_memberships(invited_user)
    db.session.commit()

    assert overlap.finish()[0] == "done"
    db.session.expire_all()
    assert db.session.get(CohortMembership, membership_id).status == "withdrawn"
