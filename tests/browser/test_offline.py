"""Offline-first on a phone in a real browser (issue 15, item 3), at 375 px, taken offline
through the browser context: the coach developer opens the new-observation form, loses the
signal, reloads it (the service worker serves the kept shell), records the observation, sees
it waiting, reconnects, and it arrives once. A candidate's new entry saved with no signal
survives a reload and is sent once back online. Signing out clears the kept shells. axe finds
no WCAG 2.2 AA problem on the waiting form and the outbox page at 1280 and 375 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from portfolio.entries.models import Entry
from portfolio.observations.models import Observation
from portfolio.offline.models import SentOnceKey
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import check_page, sign_in, sign_out
from tests.factories import PASSWORD, make_scenario
from tests.observations.builders import default_template

STRENGTHS = "Calm, short cues at the blocks, written with no signal."
WORDS = "Relay exchanges in the rain; typed at the track with no signal."


@pytest.fixture
def world(db_ctx):
    s = make_scenario()
    s.template = default_template(s.framework)
    db_ctx.commit()
    return s


@pytest.fixture
def phone(browser):
    context = browser.new_context(service_workers="allow", viewport=PHONE, locale="en-GB",
                                  timezone_id="Europe/London")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()


def count(db_ctx, model, *where) -> int:
    db_ctx.expire_all()
    return db_ctx.scalar(select(func.count()).select_from(model).where(*where))


def _ready_offline(page) -> None:
    """Wait until this page is kept for offline use by the service worker, then cut the line."""
    page.locator("form[data-outbox][data-outbox-ready]").wait_for(state="attached")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(
        """() => caches.open('portfolio-shell-' + document.body.dataset.user)
              .then(cache => cache.match(location.href)).then(Boolean)""", polling=100)
    page.wait_for_function("() => Boolean(navigator.serviceWorker.controller)", polling=100)
    page.wait_for_function(  # the worker knows whose kept pages it may answer with
        """() => caches.open('portfolio-offline-meta').then(cache => cache.match('/__offline/who'))
              .then(kept => kept ? kept.text() : '').then(who => who === document.body.dataset.user)""",
        polling=100)
    page.context.set_offline(True)


def _status(page):
    return page.locator("[data-outbox-status]")


def test_an_observation_recorded_offline_arrives_once(phone, live_server, world, db_ctx):
    page, base = phone, live_server.url
    sign_in(page, base, world.developer.email, PASSWORD)
    page.goto(f"{base}/observations/new/{world.cohort.id}/{world.author.id}"
              f"?template={world.template.id}")
    _ready_offline(page)

    page.reload()  # no network: the kept shell opens
    expect(page.get_by_role("heading", name=re.compile("Record an observation"))).to_be_visible()
    page.locator("form[data-outbox][data-outbox-ready]").wait_for(state="attached")
    page.get_by_label("Date of the session").fill("2026-10-14")
    page.get_by_label("Venue").fill("Lee Valley, back straight")
    page.get_by_role("group", name=re.compile("clear purpose")).get_by_label("Secure").check()
    page.get_by_label("Strengths").fill(STRENGTHS)
    page.get_by_role("button", name="Record the observation").click()

    expect(page.get_by_text("Saved on this phone")).to_be_visible()
    expect(_status(page)).to_contain_text("1 waiting to be sent")
    expect(page.get_by_label("Strengths")).to_have_value("")  # ready for the next one
    check_page(page, "offline-observation-waiting")
    assert count(db_ctx, Observation) == 0

    page.context.set_offline(False)
    expect(_status(page)).to_contain_text("Everything on this phone has been sent.")
    [observation] = db_ctx.scalars(select(Observation)).all()
    assert observation.strengths == STRENGTHS and observation.venue == "Lee Valley, back straight"
    assert count(db_ctx, SentOnceKey) == 1

    page.goto(f"{base}/outbox")
    expect(page.get_by_text("Nothing is waiting on this phone.")).to_be_visible()
    check_page(page, "offline-outbox")
    assert count(db_ctx, Observation) == 1


def test_a_new_entry_saved_offline_survives_a_reload_and_is_sent_once(phone, live_server, world,
                                                                     db_ctx):
    page, base = phone, live_server.url
    sign_in(page, base, world.author.email, PASSWORD)
    page.goto(f"{base}/portfolio/entries/new?model=what_so_what")
    _ready_offline(page)

    page.get_by_label("Title").fill("Relay changeovers")
    page.get_by_label("Date of the practice").fill("2026-11-20")
    page.get_by_label("What?", exact=True).fill(WORDS)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved on this phone")).to_be_visible()
    expect(_status(page)).to_contain_text("1 waiting to be sent")

    page.reload()  # still offline: the shell again, and the outbox still holds the entry
    expect(page.get_by_role("heading", name="New entry")).to_be_visible()
    expect(_status(page)).to_contain_text("1 waiting to be sent")
    assert count(db_ctx, Entry, Entry.owner_id == world.author.id) == 0

    page.context.set_offline(False)
    expect(_status(page)).to_contain_text("Everything on this phone has been sent.")
    [entry] = db_ctx.scalars(select(Entry).where(Entry.owner_id == world.author.id)).all()
    assert entry.title == "Relay changeovers" and entry.sections["what"] == WORDS
    assert entry.latest_version_number == 1

    page.reload()  # nothing is sent twice
    expect(page.get_by_role("heading", name="New entry")).to_be_visible()
    page.locator("form[data-outbox][data-outbox-ready]").wait_for(state="attached")
    assert count(db_ctx, Entry, Entry.owner_id == world.author.id) == 1


def test_signing_out_clears_the_kept_pages(phone, live_server, world):
    page, base = phone, live_server.url
    sign_in(page, base, world.developer.email, PASSWORD)
    page.goto(f"{base}/observations/new/{world.cohort.id}/{world.author.id}")
    page.wait_for_function(
        "() => caches.keys().then(names => names.some(n => n.startsWith('portfolio-shell-')))",
        polling=100)
    page.set_viewport_size(DESKTOP)
    sign_out(page)
    page.wait_for_function(
        "() => caches.keys().then(names => !names.some(n => n.startsWith('portfolio-shell-')))",
        polling=100)
