"""In-person sign-off by QR code in a real browser (issue 15, item 5): the candidate asks for
sign-off now and shows the code; a second browser context, signed in as the coach developer,
opens the address, sees the version and its content hash, signs off one competency and returns
the other; the same address then fails, as does an expired code; the candidate's page shows the
outcome. axe finds no WCAG 2.2 AA problem at 1280 and 375 px on each page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portfolio.database import utcnow
from tests.browser.helpers import check_page, sign_in
from tests.factories import PASSWORD, competency, make_scenario
from tests.quicksign.builders import claimed_entry

RETURNED = "Add the athletes' voice: what did they say about the new cue?"


@pytest.fixture
def world(db_ctx):
    s = make_scenario()
    s.entry = claimed_entry(s)
    s.other_entry = claimed_entry(s, title="Throws session")
    db_ctx.commit()
    return s


@pytest.fixture
def signed_in(browser, live_server):
    """A page in its own browser context, signed in as the given person (closed afterwards)."""
    contexts = []

    def open_as(user):
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        sign_in(page, live_server.url, user.email, PASSWORD)
        return page

    yield open_as
    for context in contexts:
        context.close()


def _post(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def _show_code(page, live_server, entry) -> str:
    page.goto(f"{live_server.url}/portfolio/entries/{entry.id}")
    page.get_by_role("link", name="Ask for sign-off now").click()
    expect(page.get_by_role("heading", name="Ask for sign-off now", level=1)).to_be_visible()
    check_page(page, "quicksign-ask")
    page.get_by_label(re.compile(r"^VP1 ")).check()
    page.get_by_label(re.compile(r"^RP1 ")).check()
    _post(page, page.get_by_role("button", name="Show the sign-off code"))
    expect(page.get_by_role("heading", name="Sign-off code", level=1)).to_be_visible()
    expect(page.locator("svg.quick-sign-qr")).to_be_visible()
    check_page(page, "quicksign-shown")
    return page.locator("[data-quick-sign-address]").inner_text()


def _decide(page, world, address: str) -> None:
    page.goto(address)
    version = world.entry.versions[-1]
    expect(page.get_by_role("heading", name=re.compile(r"version 1$"), level=1)).to_be_visible()
    expect(page.get_by_text(version.content_hash)).to_be_visible()
    expect(page.get_by_text("We worked on block starts.")).to_be_visible()
    check_page(page, "quicksign-sign")
    page.get_by_role("group", name=re.compile("^VP1")).get_by_label("Signed off").check()
    page.get_by_role("group", name=re.compile("^RP1")).get_by_label("Not yet").check()
    _post(page, page.get_by_role("button", name="Record decisions"))
    expect(page.locator(".error-summary")).to_contain_text("Say what is missing for RP1")
    check_page(page, "quicksign-sign-errors")
    page.get_by_label("Feedback on RP1").fill(RETURNED)
    page.get_by_role("group", name=re.compile("^RP1")).get_by_label("Not yet").check()
    page.get_by_role("group", name=re.compile("^VP1")).get_by_label("Signed off").check()
    _post(page, page.get_by_role("button", name="Record decisions"))
    expect(page.get_by_text("Your decisions have been recorded.")).to_be_visible()


def test_a_developer_signs_off_with_the_code_once(world, signed_in, live_server, db_ctx):
    candidate = signed_in(world.author)
    address = _show_code(candidate, live_server, world.entry)
    assert address.startswith(f"{live_server.url}/q/")
    developer = signed_in(world.developer)
    _decide(developer, world, address)

    developer.goto(address)  # the same code a second time
    expect(developer.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(developer.get_by_text(world.entry.title)).to_have_count(0)

    candidate.get_by_role("link", name="Check for the decision").click()
    expect(candidate.locator('[data-quick-sign-state="used"]')).to_contain_text(
        world.developer.display_name)
    expect(candidate.get_by_text(RETURNED)).to_be_visible()
    check_page(candidate, "quicksign-used")


def test_an_expired_code_fails(world, signed_in, live_server, db_ctx):
    from portfolio.quicksign import services

    code, raw = services.ask_for_quick_sign(world.other_entry, world.author, [
        competency(world.framework, "VP1").id])
    code.expires_at = utcnow() - timedelta(seconds=1)
    db_ctx.commit()
    developer = signed_in(world.developer)
    developer.goto(f"{live_server.url}/q/{raw}")
    expect(developer.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(developer.get_by_text("Throws session")).to_have_count(0)
