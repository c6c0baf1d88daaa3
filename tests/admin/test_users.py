"""Admin user management: search, invite, roles, deactivate and reactivate."""

from sqlalchemy import select

from portfolio.audit.models import AuditEvent
from portfolio.auth.models import User
from portfolio.extensions import db
from tests.factories import make_user


def test_list_and_search_users(app, client, login):
    admin = make_user("admin@example.test", "Ada Admin", admin=True)
    make_user("jordan@example.test", "Jordan Reid")
    make_user("megan@example.test", "Megan Lloyd")
    db.session.commit()
    login(admin)
    everyone = client.get("/admin/users").get_data(as_text=True)
    assert "Jordan Reid" in everyone and "Megan Lloyd" in everyone
    found = client.get("/admin/users?q=jord").get_data(as_text=True)
    assert "Jordan Reid" in found and "Megan Lloyd" not in found
    wildcard = client.get("/admin/users?q=%25").get_data(as_text=True)
    assert "Jordan Reid" not in wildcard  # % is searched literally, not as a wildcard


def test_users_list_paginates(app, client, login):
    admin = make_user(admin=True)
    for n in range(30):
        make_user(f"person{n:02d}@example.test", f"Person {n:02d}")
    db.session.commit()
    login(admin)
    page1 = client.get("/admin/users").get_data(as_text=True)
    assert "Page 1 of 2" in page1
    assert "Next" in page1


def test_invite_with_bad_email_shows_the_error_by_the_field(app, client, login):
    admin = make_user(admin=True)
    db.session.commit()
    login(admin)
    response = client.post("/admin/users/invite", data={"email": "not-an-email"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a valid email address." in html and 'href="#email"' in html
    assert 'value="not-an-email"' in html


def test_grant_and_revoke_roles_are_audited(app, client, login):
    admin = make_user(admin=True)
    coach = make_user("coach@example.test")
    db.session.commit()
    login(admin)
    client.post(f"/admin/users/{coach.id}/roles", data={"role": "programme_lead",
                                                        "action": "grant"})
    db.session.expire_all()
    assert db.session.get(User, coach.id).is_programme_lead
    client.post(f"/admin/users/{coach.id}/roles", data={"role": "programme_lead",
                                                        "action": "revoke"})
    db.session.expire_all()
    assert not db.session.get(User, coach.id).is_programme_lead
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.target_id == coach.id)).all()
    assert actions == ["role.granted", "role.revoked"]


def test_unknown_role_is_a_clear_refusal(app, client, login):
    admin = make_user(admin=True)
    coach = make_user()
    db.session.commit()
    login(admin)
    response = client.post(f"/admin/users/{coach.id}/roles",
                           data={"role": "superuser", "action": "grant"}, follow_redirects=True)
    assert "Unknown role." in response.get_data(as_text=True)


def test_admin_cannot_remove_own_admin_role_or_deactivate_self(app, client, login):
    admin = make_user(admin=True)
    db.session.commit()
    login(admin)
    response = client.post(f"/admin/users/{admin.id}/roles",
                           data={"role": "admin", "action": "revoke"}, follow_redirects=True)
    assert "You cannot remove your own admin role" in response.get_data(as_text=True)
    response = client.post(f"/admin/users/{admin.id}/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).is_admin and db.session.get(User, admin.id).active


def test_deactivate_then_reactivate(app, client, login):
    admin = make_user(admin=True)
    coach = make_user("coach@example.test")
    db.session.commit()
    login(admin)
    client.post(f"/admin/users/{coach.id}/deactivate")
    db.session.expire_all()
    assert not db.session.get(User, coach.id).active
    client.post(f"/admin/users/{coach.id}/reactivate")
    db.session.expire_all()
    assert db.session.get(User, coach.id).active


def test_unknown_user_id_is_404(app, client, login):
    admin = make_user(admin=True)
    db.session.commit()
    login(admin)
    for path in ("/admin/users/999999", "/admin/users/0", "/admin/users/-1"):
        assert client.get(path).status_code == 404
