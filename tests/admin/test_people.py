"""An admin's view of one person: cohort memberships, roles from cohorts in the list, correcting
name and email (audited, unique), sending a reset link, and confirming hard-to-undo actions."""

from __future__ import annotations

import html

from sqlalchemy import select

from portfolio.audit.models import AuditEvent
from portfolio.auth.models import AccountToken, User
from portfolio.extensions import db
from portfolio.mail.models import OutboxMessage
from tests.factories import add_member, make_cohort, make_scenario, make_user
from tests.live import together


def _events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _mail_to(address):
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == address)))


def test_the_user_page_lists_cohort_memberships(app, client, login):
    s = make_scenario()
    later = make_cohort(name="Talent C")
    add_member(later, s.author, role="coach_developer", status="invited")
    db.session.commit()
    login(s.admin)
    page = client.get(f"/admin/users/{s.author.id}").get_data(as_text=True)
    cohorts = page.split(">Cohorts</h2>")[1].split("</table>")[0]
    assert "Talent A" in cohorts and "Talent C" in cohorts
    assert "Candidate" in cohorts and "Coach developer" in cohorts and "Invited" in cohorts
    assert (f"/programme/cohorts/{s.cohort.id}/members/{s.author_membership.id}") in cohorts


def test_the_users_list_shows_cohort_roles(app, client, login):
    s = make_scenario()
    db.session.commit()
    login(s.admin)
    page = client.get("/admin/users").get_data(as_text=True)

    def roles_of(name):
        return page.split(f">{name}</a>")[1].split("</tr>")[0]

    assert "Candidate" in roles_of("Aisha Author")
    assert "Coach developer" in roles_of("Dev Eloper")
    assert "Programme lead" in roles_of("Lee Lead")
    assert "No role yet" in roles_of("Stan Stranger") and "—" not in roles_of("Stan Stranger")


def test_an_admin_corrects_name_and_email_audited_without_the_addresses(app, client, login):
    s = make_scenario()
    old = s.author.email
    db.session.commit()
    login(s.admin)
    form = client.get(f"/admin/users/{s.author.id}/details").get_data(as_text=True)
    assert f'value="{old}"' in form
    response = client.post(f"/admin/users/{s.author.id}/details", data={
        "display_name": "  Aisha   Khan ", "email": "Aisha.Khan@Example.TEST"})
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(User, s.author.id)
    assert (person.display_name, person.email) == ("Aisha Khan", "aisha.khan@example.test")
    [event] = _events("user.details_changed")
    assert event.actor_id == s.admin.id and event.target_id == person.id
    assert "@" not in event.summary and "name" in event.summary and "email" in event.summary
    [notice] = _mail_to(old)
    assert "changed the email address" in notice.body_text


def test_an_email_address_in_use_is_refused_beside_the_field(app, client, login):
    s = make_scenario()
    db.session.commit()
    login(s.admin)
    response = client.post(f"/admin/users/{s.author.id}/details", data={
        "display_name": "Aisha Author", "email": s.peer.email.upper()})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Another account already uses this email address." in html
    assert 'href="#email"' in html
    db.session.expire_all()
    assert db.session.get(User, s.author.id).email != s.peer.email
    assert _events("user.details_changed") == []


def test_two_admins_giving_one_address_to_two_people_at_once(live_site):
    s = make_scenario()
    other_admin = make_user(name="Second Admin", admin=True)
    db.session.commit()
    targets = [s.author.id, s.outsider.id]
    browsers = [live_site.browser_for(s.admin), live_site.browser_for(other_admin)]
    address = "shared.address@example.test"

    def save(n):
        return browsers[n].post(f"/admin/users/{targets[n]}/details",
                                {"display_name": f"Person {n}", "email": address})

    answers = together(2, save)
    statuses = sorted(getattr(answer, "status", answer) for answer in answers)
    assert statuses == [200, 302], answers
    refused = next(answer for answer in answers if answer.status == 200)
    assert "Another account already uses this email address." in refused.text
    assert f'value="{address}"' in refused.text
    db.session.expire_all()
    owners = db.session.scalars(select(User.id).where(User.email == address)).all()
    assert len(owners) == 1


def test_an_admin_sends_a_password_reset_link(app, client, login):
    s = make_scenario()
    db.session.commit()
    login(s.admin)
    response = client.post(f"/admin/users/{s.author.id}/send-reset", follow_redirects=True)
    assert "A password reset link is on its way" in response.get_data(as_text=True)
    [mail] = _mail_to(s.author.email)
    assert "/account/reset/" in mail.body_text
    assert db.session.scalars(select(AccountToken).where(
        AccountToken.user_id == s.author.id, AccountToken.purpose == "reset")).all()
    [event] = _events("user.reset_sent")
    assert event.actor_id == s.admin.id and event.target_id == s.author.id


def test_no_reset_link_for_a_deactivated_or_unset_account(app, client, login):
    s = make_scenario()
    invited = make_user(password=False)
    s.stranger.active = False
    db.session.commit()
    login(s.admin)
    for person, message in ((s.stranger, "Reactivate it first"),
                            (invited, "send the invitation again")):
        page = client.post(f"/admin/users/{person.id}/send-reset",
                           follow_redirects=True).get_data(as_text=True)
        assert message in page
    assert _events("user.reset_sent") == []


def test_role_changes_and_deactivation_are_confirmed_first(app, client, login):
    s = make_scenario()
    db.session.commit()
    login(s.admin)
    page = client.get(f"/admin/users/{s.author.id}").get_data(as_text=True)
    # The user page links to confirmation pages; it holds no form that acts at once.
    assert f'action="/admin/users/{s.author.id}/roles"' not in page
    assert f'action="/admin/users/{s.author.id}/deactivate"' not in page
    assert f'href="/admin/users/{s.author.id}/roles/admin/grant"' in page
    confirm = client.get(f"/admin/users/{s.author.id}/roles/admin/grant").get_data(as_text=True)
    assert "Make Aisha Author an admin?" in confirm
    assert "erase a person" in confirm and "What will happen" in confirm
    assert f'action="/admin/users/{s.author.id}/roles"' in confirm
    assert 'name="role" value="admin"' in confirm and 'name="action" value="grant"' in confirm
    db.session.expire_all()
    assert not db.session.get(User, s.author.id).is_admin  # looking changes nothing
    revoke = client.get(f"/admin/users/{s.lead.id}/roles/programme_lead/revoke")
    assert "Revoke Lee Lead's programme lead role?" in html.unescape(revoke.get_data(as_text=True))
    deactivate = client.get(f"/admin/users/{s.author.id}/deactivate").get_data(as_text=True)
    assert "signed out everywhere at once" in deactivate
    assert f'action="/admin/users/{s.author.id}/deactivate"' in deactivate
    assert client.get(f"/admin/users/{s.author.id}/roles/superuser/grant").status_code == 404
