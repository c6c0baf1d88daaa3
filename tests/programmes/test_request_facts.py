"""A person's memberships are read once per request, and a write in that request is seen."""

from __future__ import annotations

from sqlalchemy import event

from portfolio.extensions import db
from portfolio.programmes.access import current_memberships, is_developer_in
from portfolio.reviews.permissions import is_candidate, is_coach_developer
from tests.factories import add_member, make_cohort, make_user


def _counting(app):
    statements = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda *args: statements.append(args[2]))
    return statements


def test_memberships_are_read_once_per_request(app):
    with app.app_context():
        user = make_user("facts@example.test")
        cohort = make_cohort()
        add_member(cohort, user, role="coach_developer")
        db.session.commit()
        user_id, cohort_id = user.id, cohort.id
    with app.test_request_context("/"):
        user = db.session.get(type(user), user_id)
        statements = _counting(app)
        assert is_coach_developer(user)
        assert not is_candidate(user)
        assert is_developer_in(user, cohort_id)
        assert [m.cohort.year.label for m in current_memberships(user_id)]
        assert len(statements) == 1, statements


def test_a_withdrawal_in_the_same_request_takes_effect_at_once(app):
    with app.app_context():
        user = make_user("withdrawn@example.test")
        cohort = make_cohort()
        add_member(cohort, user, role="candidate")
        db.session.commit()
        user_id = user.id
    with app.test_request_context("/"):
        user = db.session.get(type(user), user_id)
        [membership] = current_memberships(user_id)
        assert is_candidate(user)
        membership.status = "withdrawn"
        db.session.flush()
        assert not is_candidate(user)
        assert current_memberships(user_id) == []


def test_a_membership_added_in_the_same_request_counts_at_once(app):
    with app.app_context():
        user = make_user("joiner@example.test")
        cohort = make_cohort()
        db.session.commit()
        user_id, cohort_id = user.id, cohort.id
    with app.test_request_context("/"):
        user = db.session.get(type(user), user_id)
        assert not is_coach_developer(user)
        add_member(db.session.get(type(cohort), cohort_id), user, role="coach_developer")
        db.session.flush()
        assert is_coach_developer(user)


def test_nothing_is_kept_outside_a_request(app):
    """Workers and commands live in one long app context: they always ask the database."""
    with app.app_context():
        user = make_user("worker@example.test")
        cohort = make_cohort()
        add_member(cohort, user, role="candidate")
        db.session.commit()
        user_id = user.id
        statements = _counting(app)
        current_memberships(user_id)
        current_memberships(user_id)
        assert len([s for s in statements if "FROM cohort_memberships" in s]) == 2


def test_a_rolled_back_membership_stops_counting(app):
    with app.app_context():
        user = make_user("rolled@example.test")
        cohort = make_cohort()
        db.session.commit()
        user_id, cohort_id = user.id, cohort.id
    with app.test_request_context("/"):
        user = db.session.get(type(user), user_id)
        add_member(db.session.get(type(cohort), cohort_id), user, role="candidate")
        assert is_candidate(user)
        db.session.rollback()
        assert not is_candidate(user)


def test_a_bulk_update_in_the_same_request_takes_effect_at_once(app):
    from sqlalchemy import update

    from portfolio.programmes.models import CohortMembership

    with app.app_context():
        user = make_user("bulk@example.test")
        add_member(make_cohort(), user, role="candidate")
        db.session.commit()
        user_id = user.id
    with app.test_request_context("/"):
        user = db.session.get(type(user), user_id)
        assert is_candidate(user)
        db.session.execute(update(CohortMembership).where(CohortMembership.user_id == user_id)
                           .values(status="withdrawn"))
        assert not is_candidate(user)
