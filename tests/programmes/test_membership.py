"""Invitations one at a time, membership changes and their audit trail."""

import pytest
from sqlalchemy import func, select

from portfolio.audit.models import AuditEvent
from portfolio.auth.models import AccountToken, User
from portfolio.errors import DomainError
from portfolio.extensions import db
from portfolio.mail.models import OutboxMessage
from portfolio.programmes import membership as members
from portfolio.programmes.access import can_see_cohort
from portfolio.programmes.models import CohortMembership, Specialism
from tests.factories import add_member, make_cohort, make_peer_group, make_scenario, make_user


def specialism(name):
    return db.session.scalar(select(Specialism).where(Specialism.name == name))


def audit(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).all()


def test_inviting_someone_new_creates_an_invited_account_and_emails_them(client, login):
    s = make_scenario()
    db.session.commit()
    login(s.lead)
    jumps = specialism("Jumps")
    response = client.post(f"/programme/cohorts/{s.cohort.id}/invite", data={
        "email": "Nia.Baker@Example.org", "name": "Nia Baker", "role": "candidate",
        "specialism_ids": [str(jumps.id)], "developer_id": str(s.developer.id)},
        follow_redirects=True)
    assert "Invitation sent to nia.baker@example.org" in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "nia.baker@example.org"))
    membership = db.session.scalar(select(CohortMembership).where(
        CohortMembership.user_id == user.id))
    assert (membership.status, membership.role) == ("invited", "candidate")
    assert membership.coach_developer_id == s.developer.id
    assert [item.name for item in membership.specialisms] == ["Jumps"]
    assert not user.has_password
    mail = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.to_address == "nia.baker@example.org"))
    assert "/account/invitation/" in mail.body_text and s.cohort.name in mail.body_text
    event = audit("membership.added")[-1]
    assert f"user_id={user.id}" in event.summary and "@" not in event.summary


def test_someone_with_an_account_is_added_not_invited_again(client, login):
    s = make_scenario()
    existing = make_user("sam.coach@example.org", "Sam Coach")
    db.session.commit()
    login(s.lead)
    response = client.post(f"/programme/cohorts/{s.cohort.id}/invite", data={
        "email": "sam.coach@example.org", "role": "coach_developer"}, follow_redirects=True)
    assert "already has an account and has been added" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AccountToken)) == 0
    membership = db.session.scalar(select(CohortMembership).where(
        CohortMembership.user_id == existing.id))
    assert (membership.status, membership.role) == ("active", "coach_developer")
    mail = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.to_address == "sam.coach@example.org"))
    assert "added you to" in mail.body_text and "/account/invitation/" not in mail.body_text


@pytest.mark.parametrize("email, name, message", [
    ("not-an-email", "Someone", "is not a valid email address"),
    ("", "Someone", "Enter an email address"),
    ("new.person@example.org", "", "Enter their name"),
])
def test_bad_invitations_are_refused_by_the_field(app, email, name, message):
    s = make_scenario()
    with pytest.raises(DomainError) as caught:
        members.add_member(s.lead, s.cohort, members.NewMember(email, name, "candidate"))
    assert message in caught.value.message
    assert caught.value.field in ("email", "name")


def test_a_member_cannot_be_invited_twice_or_over_capacity(app):
    s = make_scenario()
    with pytest.raises(DomainError, match="already in this cohort"):
        members.add_member(s.lead, s.cohort, members.NewMember(s.peer.email, "", "candidate"))
    s.cohort.capacity = 3  # author, peer and outsider fill it
    with pytest.raises(DomainError, match="The cohort is full"):
        members.add_member(s.lead, s.cohort, members.NewMember("x@example.org", "X",
                                                               "candidate"))
    # Coach developers do not take a candidate place.
    members.add_member(s.lead, s.cohort, members.NewMember("dev@example.org", "D",
                                                           "coach_developer"))


def test_a_deactivated_account_is_not_added(app):
    s = make_scenario()
    make_user("gone@example.org", active=False)
    with pytest.raises(DomainError, match="deactivated") as caught:
        members.add_member(s.lead, s.cohort, members.NewMember("gone@example.org", "",
                                                               "candidate"))
    assert caught.value.field == "email"


def test_assigned_coach_developer_must_be_in_the_cohort(app):
    s = make_scenario()
    with pytest.raises(DomainError) as caught:
        members.add_member(s.lead, s.cohort, members.NewMember(
            "x@example.org", "X", "candidate", developer_id=s.other_developer.id))
    assert caught.value.field == "developer_id"


def test_membership_changes_are_audited_and_withdrawal_ends_access(client, login):
    s = make_scenario()
    db.session.commit()
    login(s.lead)
    url = f"/programme/cohorts/{s.cohort.id}/members/{s.outsider_membership.id}"
    throws = specialism("Throws")
    data = {"role": "candidate", "status": "withdrawn", "developer_id": "",
            "specialism_ids": [str(throws.id)]}
    asked = client.post(url, data=data)  # first a page says what withdrawing does
    assert asked.status_code == 200 and "can no longer open" in asked.get_data(as_text=True)
    db.session.refresh(s.outsider_membership)
    assert s.outsider_membership.status == "active"
    response = client.post(url, data={**data, "confirmed": "yes"})
    assert response.status_code == 302
    db.session.refresh(s.outsider_membership)
    assert s.outsider_membership.status == "withdrawn"
    assert s.outsider_membership.coach_developer_id is None
    assert not can_see_cohort(s.outsider, s.cohort)
    assert [e.action for e in audit("membership.status_changed")] == [
        "membership.status_changed"]
    assert audit("membership.developer_assigned") and audit("membership.specialisms_changed")


def test_role_change_is_audited_and_guarded(app):
    s = make_scenario()
    # In a peer group: take them out first.
    with pytest.raises(DomainError, match="out of the peer group"):
        members.update_membership(s.lead, s.author_membership, members.MembershipChanges(
            "coach_developer", "active", None))
    members.update_membership(s.lead, s.outsider_membership, members.MembershipChanges(
        "coach_developer", "active", None))
    assert s.outsider_membership.role == "coach_developer"
    assert s.outsider_membership.coach_developer_id is None
    event = audit("membership.role_changed")[-1]
    assert "previous=candidate" in event.summary and "role=coach_developer" in event.summary
    # A developer with assigned candidates cannot become a candidate.
    developer_membership = db.session.scalar(select(CohortMembership).where(
        CohortMembership.user_id == s.developer.id))
    with pytest.raises(DomainError, match="as their coach developer"):
        members.update_membership(s.lead, developer_membership, members.MembershipChanges(
            "candidate", "active", None))


def test_completing_records_the_time_and_reinstating_respects_capacity(app):
    s = make_scenario()
    members.update_membership(s.lead, s.peer_membership, members.MembershipChanges(
        "candidate", "completed", s.developer.id))
    assert s.peer_membership.completed_at is not None
    members.update_membership(s.lead, s.outsider_membership, members.MembershipChanges(
        "candidate", "withdrawn", s.developer.id))
    s.cohort.capacity = 2
    with pytest.raises(DomainError, match="The cohort is full"):
        members.update_membership(s.lead, s.outsider_membership, members.MembershipChanges(
            "candidate", "active", s.developer.id))


def test_accepting_the_invitation_activates_invited_memberships(app):
    cohort = make_cohort()
    user = make_user(password=False)
    membership = add_member(cohort, user, status="invited")
    activated = members.activate_invited_memberships(user)
    assert activated == [membership] and membership.status == "active"
    assert "reason=invitation accepted" in audit("membership.status_changed")[-1].summary


def test_invitation_can_be_sent_again_until_the_account_is_set_up(client, login):
    s = make_scenario()
    newcomer = make_user(password=False)
    waiting = add_member(s.cohort, newcomer, status="invited")
    db.session.commit()
    login(s.lead)
    url = f"/programme/cohorts/{s.cohort.id}/members/{waiting.id}/resend-invitation"
    assert "Invitation sent again" in client.post(url, follow_redirects=True).get_data(
        as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AccountToken)) == 1
    url = f"/programme/cohorts/{s.cohort.id}/members/{s.author_membership.id}/resend-invitation"
    assert "already set up their account" in client.post(url, follow_redirects=True).get_data(
        as_text=True)


def test_another_cohorts_objects_answer_404_even_to_a_lead(client, login):
    s = make_scenario()
    other_membership = db.session.scalar(select(CohortMembership).where(
        CohortMembership.user_id == s.other_candidate.id))
    other_group = make_peer_group(s.other_cohort, [other_membership,
                                                   add_member(s.other_cohort)])
    db.session.commit()
    login(s.lead)
    base = f"/programme/cohorts/{s.cohort.id}"
    assert client.get(f"{base}/members/{other_membership.id}").status_code == 404
    assert client.get(f"{base}/peer-groups/{other_group.id}").status_code == 404
    assert client.post(f"{base}/peer-groups/{other_group.id}/delete").status_code == 404


def test_cohort_page_shows_members_by_role_and_status_to_its_members(client, login):
    s = make_scenario()
    s.peer_membership.status = "deferred"
    db.session.commit()
    login(s.author)
    page = client.get(f"/programme/cohorts/{s.cohort.id}").get_data(as_text=True)
    assert "Dev Eloper" in page and "Pat Peer" in page and "Sprinters" in page
    assert "Deferred" in page and "Invite someone" not in page
    assert s.peer.email not in page  # candidates do not see each other's email addresses
    login(s.developer)
    page = client.get(f"/programme/cohorts/{s.cohort.id}").get_data(as_text=True)
    assert "Your candidates" in page and s.peer.email in page


def test_my_cohort_takes_a_member_to_their_cohort(client, login):
    s = make_scenario()
    db.session.commit()
    login(s.author)
    response = client.get("/programme/my-cohort")
    assert response.headers["Location"].endswith(f"/programme/cohorts/{s.cohort.id}")
    home = client.get("/programme/my-cohort", follow_redirects=True).get_data(as_text=True)
    assert ">My cohort</a>" in home
    login(s.stranger)
    page = client.get("/programme/my-cohort").get_data(as_text=True)
    assert "not in a cohort yet" in page and ">My cohort</a>" not in page


def test_programme_leads_land_on_the_programme_overview(client, login):
    s = make_scenario()
    db.session.commit()
    login(s.lead)
    response = client.get("/home")
    assert response.headers["Location"].endswith("/programme/")
    page = client.get("/programme/").get_data(as_text=True)
    assert ">Programme</a>" in page and ">Frameworks</a>" in page


def test_other_features_can_change_just_the_status(app):
    s = make_scenario()
    members.change_status(s.lead, s.author_membership, "completed")
    assert s.author_membership.status == "completed"
    assert s.author_membership.completed_at is not None
    assert s.author_membership.coach_developer_id == s.developer.id
    assert "status=completed" in audit("membership.status_changed")[-1].summary
    with pytest.raises(DomainError):
        members.change_status(s.lead, s.author_membership, "graduated")
