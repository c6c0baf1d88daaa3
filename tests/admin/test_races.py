"""Two admins acting on each other's accounts at the same moment cannot leave the site
without an admin: the second waits for the first, then finds it is no longer an admin."""

from __future__ import annotations

from portfolio.admin import services
from portfolio.auth.models import User
from portfolio.errors import DomainError
from portfolio.extensions import db
from tests.factories import make_user
from tests.races import overlap_after


def two_admins():
    first, second = make_user(name="Ada Admin", admin=True), make_user(name="Bo Admin", admin=True)
    db.session.commit()
    return first, second


def test_two_admins_removing_each_others_admin_role_at_once_leave_one(app, monkeypatch):
    first, second = two_admins()
    first_id, second_id = first.id, second.id

    def remove_first():
        services.set_role(db.session.get(User, second_id), db.session.get(User, first_id),
                          "admin", False)

    overlap = overlap_after(monkeypatch, services, "record", app, remove_first)
    services.set_role(first, second, "admin", False)
    db.session.commit()

    outcome, error = overlap.finish()
    assert outcome == "refused" and isinstance(error, DomainError), (outcome, error)
    assert "changed a moment ago" in error.message
    db.session.expire_all()
    assert (db.session.get(User, first_id).is_admin, db.session.get(User, second_id).is_admin) \
        == (True, False)


def test_two_admins_deactivating_each_other_at_once_leave_one_active(app, monkeypatch):
    first, second = two_admins()
    first_id, second_id = first.id, second.id

    def deactivate_first():
        services.deactivate(db.session.get(User, second_id), db.session.get(User, first_id))

    overlap = overlap_after(monkeypatch, services, "record", app, deactivate_first)
    services.deactivate(first, second)
    db.session.commit()

    outcome, error = overlap.finish()
    assert outcome == "refused" and isinstance(error, DomainError), (outcome, error)
    db.session.expire_all()
    assert (db.session.get(User, first_id).active, db.session.get(User, second_id).active) \
        == (True, False)
