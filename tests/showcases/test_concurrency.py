"""Two tabs change one showcase at the same moment (threads behind a barrier, a live threaded
server): one change is made, the other answers 409 with its own words, never a 500, and
nothing either tab had saved before is lost. On SQLite and PostgreSQL."""

from __future__ import annotations

from portfolio.extensions import db
from portfolio.showcases.models import Showcase
from tests.factories import make_scenario
from tests.live import together
from tests.showcases.builders import full_showcase


def test_two_tabs_adding_at_once_one_wins_and_the_other_gets_its_text_back(app, live_site):
    s = make_scenario()
    showcase = full_showcase(s)
    url, lock = f"/showcases/{showcase.id}/items/heading", showcase.lock_version
    before = [(item.kind, item.id) for item in showcase.items]
    browsers = [live_site.browser_for(s.author) for _ in range(2)]
    answers = together(2, lambda n: browsers[n].post(url, {
        "heading-heading": f"Heading from tab {n}", "heading-lock_version": lock}))
    statuses = sorted(getattr(answer, "status", answer) for answer in answers)
    assert statuses == [302, 409], answers
    loser = next(n for n, answer in enumerate(answers) if answer.status == 409)
    assert f"Heading from tab {loser}" in answers[loser].text
    db.session.expire_all()
    items = db.session.get(Showcase, showcase.id).items
    assert [(item.kind, item.id) for item in items][:len(before)] == before
    assert [item.heading for item in items[len(before):]] == [f"Heading from tab {1 - loser}"]


def test_moving_in_two_tabs_at_once_keeps_every_item(app, live_site):
    s = make_scenario()
    showcase = full_showcase(s)
    first, second = showcase.items[1], showcase.items[3]
    lock, ids = showcase.lock_version, sorted(item.id for item in showcase.items)
    urls = [f"/showcases/{showcase.id}/items/{first.id}/up",
            f"/showcases/{showcase.id}/items/{second.id}/down"]
    browsers = [live_site.browser_for(s.author) for _ in range(2)]
    answers = together(2, lambda n: browsers[n].post(urls[n], {"lock_version": lock}))
    assert sorted(getattr(answer, "status", answer) for answer in answers) == [302, 409]
    db.session.expire_all()
    items = db.session.get(Showcase, showcase.id).items
    assert sorted(item.id for item in items) == ids
    assert len({item.position for item in items}) == len(ids)
