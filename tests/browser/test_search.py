"""Search in a real browser: the header link, a stemmed search with highlighted snippets, a
filter kept when paging, the way to the result, and axe at 1280 and 375 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, sign_in
from tests.factories import PASSWORD, make_entry, make_scenario


@pytest.fixture
def world(db_ctx):
    s = make_scenario()
    sections = {"what": "Our relay changeover was late on the second leg.",
                "so_what": "The outgoing runner went early.", "now_what": "Mark a check point."}
    s.relay = make_entry(s.author, cohort=s.cohort, privacy="developers",
                         title="Relay practice with the U17 squad", sections=sections)
    s.hidden = make_entry(s.author, cohort=s.cohort, privacy="private",
                          title="Private changeover worries", sections=sections)
    db_ctx.commit()
    return s


def test_coach_developer_finds_a_shared_entry_and_opens_it(page, live_server, world):
    base = live_server.url
    sign_in(page, base, world.developer.email, PASSWORD)
    page.get_by_role("link", name="Search").first.click()
    expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    check_page(page, "search-empty")

    page.get_by_label("Search for").fill("changeovers")
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="1 result for “changeovers”")).to_be_visible()
    results = page.get_by_role("list", name=re.compile("result"))
    expect(results.locator("mark").first).to_have_text(re.compile("changeover", re.I))
    expect(page.locator("body")).not_to_contain_text("Private changeover worries")
    check_page(page, "search-results")

    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Show", exact=True).select_option(label="Goals")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="No results for “changeovers”")).to_be_visible()
    expect(page.get_by_label("Show", exact=True)).to_have_value("goal")
    check_page(page, "search-no-results")

    page.get_by_label("Show", exact=True).select_option(label="Everything")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Relay practice")).click()
    expect(page).to_have_url(re.compile(rf"/portfolio/entries/{world.relay.id}$"))
