"""The signed-in person is read once per request with their memberships and the header's
unread count, and a request that writes either sees its own write."""

from flask_login import login_user

from portfolio.auth.viewer import load_viewer
from portfolio.extensions import db
from portfolio.notifications.blueprint import unread_notification_count
from portfolio.notifications.services import mark_all_read, notify
from portfolio.programmes.access import current_memberships
from tests.factories import add_member, make_cohort, make_user
from tests.performance.worlds import StatementRecorder


def _statements(client, path):
    client.get(path)
    with StatementRecorder(db.engine) as recorder:
        response = client.get(path)
    assert response.status_code == 200
    return [" ".join(statement.split()) for statement, _ in recorder.executed]


def test_one_statement_reads_the_person_memberships_and_unread_count(app, client, login):
    user = make_user(name="Casey Candidate")
    add_member(make_cohort(), user)
    notify(user, "comment", "A comment on your entry")
    notify(user, "comment", "Another comment")
    db.session.commit()
    login(user)
    statements = _statements(client, "/account/settings")
    first = statements[0]
    assert "FROM users" in first and "cohort_memberships" in first and "notifications" in first
    assert not [sql for sql in statements[1:] if "FROM notifications" in sql
                or "FROM cohort_memberships" in sql and "cohort_memberships.user_id = " in sql]
    page = client.get("/account/settings").get_data(as_text=True)
    assert 'Notifications <span class="badge">2<span class="visually-hidden"> unread' in page


def test_the_badge_counts_a_notification_written_in_the_same_request(app):
    user = make_user()
    notify(user, "comment", "Before")
    db.session.commit()
    with app.test_request_context("/"):
        login_user(load_viewer(user.session_token))
        assert unread_notification_count() == 1
        notify(user, "comment", "During")
        assert unread_notification_count() == 2
        mark_all_read(user)
        assert unread_notification_count() == 0


def test_memberships_read_with_the_person_are_the_ones_the_checks_use(app):
    user = make_user()
    older, newer = make_cohort(), make_cohort()
    add_member(older, user, status="withdrawn")
    add_member(newer, user, role="coach_developer")
    db.session.commit()
    with app.test_request_context("/"):
        viewer = load_viewer(user.session_token)
        assert [m.cohort_id for m in current_memberships(viewer.id)] == [newer.id]
        assert current_memberships(viewer.id)[0].cohort.year is not None


def test_an_unknown_token_or_deactivated_person_loads_nobody(app):
    gone = make_user(active=False)
    db.session.commit()
    with app.test_request_context("/"):
        assert load_viewer("no-such-token") is None
        assert load_viewer(gone.session_token) is None
        assert load_viewer("") is None
