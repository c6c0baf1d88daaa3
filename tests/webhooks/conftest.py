"""Webhook tests deliver to a listener on 127.0.0.1, so plain http to it is allowed here."""

from __future__ import annotations

import pytest

from portfolio.extensions import db
from tests.webhooks.builders import Listener


@pytest.fixture
def app(make_app):
    app = make_app(WEBHOOKS_ALLOW_LOCAL_HTTP=True)
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def listener():
    with Listener() as running:
        yield running
