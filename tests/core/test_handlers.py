"""The one handler shape: attempt() commits once or rolls back and shows the refusal, and the
only routes spared the automatic CSRF check are writing routes that check the token by hand."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from wtforms import Form, StringField

from portfolio.auth.models import User
from portfolio.errors import DomainError
from portfolio.extensions import csrf, db
from portfolio.handlers import attempt, checks_token_by_hand, token_problem
from tests.factories import make_user

WRITING_ROUTES = {"entries.new_entry", "entries.edit_entry", "entries.autosave_new_entry",
                  "entries.autosave_entry", "entries.philosophy", "entries.autosave_philosophy"}


class NameForm(Form):
    name = StringField()


def _stored(email: str) -> bool:
    return db.session.query(User).filter_by(email=email).first() is not None


def test_success_is_committed_and_said(app):
    with app.test_request_context("/", method="POST"):
        done = attempt(lambda: make_user("kept@example.test"),
                       success=lambda user: f"Added {user.email}.")
        assert done and done.value.email == "kept@example.test"
        assert get_flashed_messages(with_categories=True) == [
            ("success", "Added kept@example.test.")]
    db.session.rollback()  # a later rollback cannot take back what attempt committed
    assert _stored("kept@example.test")


def test_a_refusal_is_rolled_back_and_shown_next_to_its_field(app):
    def refused():
        make_user("half@example.test")
        raise DomainError("That name is taken.", field="name")

    with app.test_request_context("/", method="POST"):
        form = NameForm()
        outcome = attempt(refused, form=form, success="never said")
        assert not outcome and outcome.error.message == "That name is taken."
        assert form.name.errors == ["That name is taken."]
        assert get_flashed_messages() == []
    assert not _stored("half@example.test")


def test_a_refusal_without_a_form_is_flashed_and_a_left_one_is_not(app):
    with app.test_request_context("/", method="POST"):
        attempt(lambda: _raise(DomainError("Archived.")), refusal_category="info")
        left = attempt(lambda: _raise(DomainError("Already done.")), leave=(DomainError,))
        assert left.error.message == "Already done."
        assert get_flashed_messages(with_categories=True) == [("info", "Archived.")]


def _raise(error):
    raise error


def test_every_post_route_spared_the_csrf_check_checks_the_token_by_hand(app):
    spared = set()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if "POST" in rule.methods and f"{view.__module__}.{view.__name__}" in csrf._exempt_views:
            spared.add(rule.endpoint)
            assert getattr(view, "checks_token_by_hand", False), rule.endpoint
    assert spared == WRITING_ROUTES
    # The API (portfolio/api) reads bearer tokens only, never the session cookie.
    assert {blueprint.name for blueprint in csrf._exempt_blueprints} == {"api"}


@pytest.mark.parametrize("remembers", [True, False])
def test_a_hand_checked_route_that_forgets_the_check_fails_instead_of_writing(
        app, client, login, remembers):
    @checks_token_by_hand
    def write_note():
        if remembers and token_problem():
            return "bad token", 400
        attempt(lambda: make_user("written@example.test"))
        return "written"

    app.add_url_rule("/test-only/note", "test_only_note", write_note, methods=["POST"])
    author = make_user()
    db.session.commit()
    login(author)
    if remembers:
        assert client.post("/test-only/note").get_data(as_text=True) == "written"
    else:
        assert client.post("/test-only/note").status_code == 500
    db.session.rollback()
    assert _stored("written@example.test") is remembers
