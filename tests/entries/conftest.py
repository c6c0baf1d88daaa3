"""Fixtures for the portfolio tests: the standard two-cohort world and signed-in clients."""

import pytest

from portfolio.extensions import db
from tests.factories import make_scenario, sign_in


@pytest.fixture
def world(app):
    world = make_scenario()
    db.session.commit()
    return world


@pytest.fixture
def client_for(app):
    """A fresh browser signed in as the given user."""
    def make(user):
        return sign_in(app.test_client(), user)
    return make
