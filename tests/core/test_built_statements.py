"""Statements built once per application hand out the same object within one application,
a fresh one in another, and never freeze the values of one call into the next."""

from sqlalchemy import bindparam, select

from portfolio.auth.models import User
from portfolio.auth.viewer import load_viewer
from portfolio.database import built_once
from portfolio.entries.queries import recent_feedback
from portfolio.extensions import db
from portfolio.reviews.models import Comment
from portfolio.reviews.queries import entry_review_states
from tests.factories import make_entry, make_scenario, make_user

builds = []


@built_once
def _by_email():
    builds.append(1)
    return select(User.id).where(User.email == bindparam("email"))


def test_a_statement_is_built_once_per_application(make_app):
    builds.clear()
    first, second = make_app(), make_app()
    with first.app_context():
        assert _by_email() is _by_email()
        made_in_first = _by_email()
    with second.app_context():
        assert _by_email() is not made_in_first
    assert len(builds) == 2


def test_each_call_reads_its_own_values(app):
    ann, bob = make_user("ann@example.org"), make_user("bob@example.org")
    db.session.commit()
    assert db.session.scalar(_by_email(), {"email": "ann@example.org"}) == ann.id
    assert db.session.scalar(_by_email(), {"email": "bob@example.org"}) == bob.id


def test_the_signed_in_person_is_the_one_holding_the_token(app):
    ann, bob = make_user("ann@example.org"), make_user("bob@example.org")
    db.session.commit()
    with app.test_request_context():
        assert load_viewer(ann.session_token) == ann
    with app.test_request_context():
        assert load_viewer(bob.session_token) == bob
    with app.test_request_context():
        assert load_viewer("not-a-token") is None


def test_feedback_and_review_states_follow_their_arguments(app):
    s = make_scenario()
    mine = make_entry(s.author, cohort=s.cohort)
    theirs = make_entry(s.peer, cohort=s.cohort)
    db.session.add_all([Comment(entry_id=mine.id, author_id=s.developer.id, body="Good cues."),
                        Comment(entry_id=theirs.id, author_id=s.developer.id, body="Try it.")])
    db.session.commit()
    assert [item.text for item in recent_feedback(s.author.id)] == ["Good cues."]
    assert [item.text for item in recent_feedback(s.peer.id)] == ["Try it."]
    assert recent_feedback(s.developer.id) == []
    states = entry_review_states([mine.id, theirs.id])
    assert set(states) == {mine.id, theirs.id}
    assert set(entry_review_states([theirs.id])) == {theirs.id}


shapes = []


@built_once
def _by_role(lead: bool):
    shapes.append(lead)
    column = User.is_programme_lead if lead else User.is_admin
    return select(User.id).where(User.email == bindparam("email"), column.is_(True))


def test_a_statement_with_a_shape_is_built_once_per_shape(app):
    shapes.clear()
    assert _by_role(True) is _by_role(True)
    assert _by_role(False) is not _by_role(True)
    assert shapes == [True, False]


def test_dashboard_filter_choices_share_one_statement_yet_answer_per_developer(app):
    """The filter's statement is built once for every coach developer; each still gets only
    the cohorts they develop (earlier and later cohorts' developers included)."""
    from flask_login import login_user

    from portfolio.reviews.dashboard import _filter_choices_statement, filter_choices

    s = make_scenario()
    db.session.commit()
    with app.test_request_context("/reviews/dashboard"):
        login_user(s.developer)
        mine = {choice.id for choice in filter_choices(s.developer).cohorts}
        theirs = {choice.id for choice in filter_choices(s.other_developer).cohorts}
        lead = {choice.id for choice in filter_choices(s.lead).cohorts}
        assert _filter_choices_statement(False) is _filter_choices_statement(False)
    assert mine == {s.cohort.id} and theirs == {s.other_cohort.id}
    assert lead >= mine | theirs
