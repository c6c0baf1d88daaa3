"""The rate limit holds when requests really overlap: the database counts them."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from portfolio.extensions import db
from tests.api.builders import personal_token
from tests.factories import make_scenario
from tests.live import LiveSite, together


@pytest.fixture
def limited_site(make_app):
    app = make_app(API_RATE_LIMIT=5, API_RATE_WINDOW=3600)
    with app.app_context():
        world = make_scenario()
        token = personal_token(world.author)
        db.session.commit()
        with LiveSite(app) as site:
            yield site, token
        db.session.remove()


def test_overlapping_requests_never_pass_the_limit(limited_site):
    site, token = limited_site

    def call(_number):
        request = urllib.request.Request(f"{site.url}/api/v1/entries",
                                         headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    statuses = together(12, call)
    assert sorted(statuses) == [200] * 5 + [429] * 7, statuses
