"""Showcases in a real browser: a candidate builds one (introduction, an entry version, an image,
a heading, reordered with the buttons, an item captioned), reads it, makes a secret link that a
visitor with no account opens, sees the visit in the link's log, revokes the link and the
visitor gets the plain 404 page. axe finds no WCAG 2.2 AA problem at 1280 and 375 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, sign_in
from tests.evidence.builders import image_bytes, store
from tests.factories import PASSWORD, make_entry, make_scenario

TITLE = "My coaching year with the sprint group"
ENTRY = "Block starts session"
PHOTO = "Start position photo"
HEADING = "Sprints"


@pytest.fixture
def world(db_ctx):
    s = make_scenario()
    make_entry(s.author, cohort=s.cohort, privacy="peers", title=ENTRY)
    store(s.author, "starts.jpg", image_bytes("JPEG", size=(320, 240)), title=PHOTO)
    db_ctx.commit()
    return s


@pytest.fixture
def visitor(browser):
    """A browser context for someone without an account, never signed in."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def _post(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def _add_panel(page, summary: str):
    """Open one of the "Add to the showcase" parts and answer it."""
    page.locator("summary", has_text=re.compile(rf"^{re.escape(summary)}$")).click()
    return page.locator("details", has=page.locator(f"summary:text-is('{summary}')"))


def _tool(where, verb: str, item: str):
    """A button under an item, named "Move up: “…”" (the item's name is visually hidden)."""
    return where.get_by_role("button", name=re.compile(rf"^{verb}\s*: {re.escape(item)}$"))


def _order(page) -> list[str]:
    titles = page.locator(".showcase").locator(".showcase__heading, .showcase-item__title")
    return titles.all_inner_texts()


def _item(page, title: str):
    return page.locator("section.showcase-item",
                        has=page.get_by_role("heading", name=title, exact=True))


def _image_loaded(page) -> None:
    page.wait_for_function(
        "() => { const i = document.querySelector('img.showcase-item__image');"
        " return i && i.complete && i.naturalWidth > 0; }")


def _build(page) -> None:
    page.get_by_role("link", name="Showcases").first.click()
    expect(page.get_by_role("heading", name="Showcases", level=1)).to_be_visible()
    check_page(page, "showcases-list-empty")

    page.get_by_role("link", name="Make a showcase").click()
    expect(page.get_by_role("heading", name="Make a showcase", level=1)).to_be_visible()
    check_page(page, "showcases-new")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Introduction (optional)").fill("What a **club committee** should see.")
    _post(page, page.get_by_role("button", name="Make the showcase"))
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_text("Showcase created. Now add your work to it.")).to_be_visible()
    check_page(page, "showcases-build-empty")

    part = _add_panel(page, "A reflective entry")
    part.get_by_label("Entry").select_option(label=f"{ENTRY} (version 1)")
    _post(page, part.get_by_role("button", name="Add the entry"))
    part = _add_panel(page, "Evidence")
    part.get_by_label("Evidence").select_option(label=PHOTO)
    _post(page, part.get_by_role("button", name="Add the evidence"))
    part = _add_panel(page, "A heading")
    part.get_by_label("Heading").fill(HEADING)
    _post(page, part.get_by_role("button", name="Add the heading"))
    expect(page.locator(".showcase .showcase__heading")).to_have_text(HEADING)
    assert _order(page) == [ENTRY, PHOTO, HEADING]

    # The heading goes to the top with two moves up, then the entry goes below the photo.
    _post(page, _tool(page, "Move up", f"heading “{HEADING}”"))
    assert _order(page) == [ENTRY, HEADING, PHOTO]
    _post(page, _tool(page, "Move up", f"heading “{HEADING}”"))
    assert _order(page) == [HEADING, ENTRY, PHOTO]
    expect(_tool(page, "Move up", f"heading “{HEADING}”")).to_have_count(0)
    _post(page, _tool(page, "Move down", f"“{ENTRY}”"))
    assert _order(page) == [HEADING, PHOTO, ENTRY]

    photo = _item(page, PHOTO)
    photo.get_by_text("Add a note").click()
    photo.get_by_label("Note", exact=True).fill("Hips high, shoulders over the line.")
    _post(page, _tool(photo, "Save", f"“{PHOTO}”"))
    expect(_item(page, PHOTO).locator(".showcase-item__note")).to_have_text(
        "Hips high, shoulders over the line.")
    _image_loaded(page)
    check_page(page, "showcases-build-filled")


def _read(page) -> None:
    page.get_by_role("link", name="See it as readers do").click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    assert _order(page) == [HEADING, PHOTO, ENTRY]
    expect(page.locator(".showcase__intro strong")).to_have_text("club committee")
    expect(_item(page, PHOTO).locator(".showcase-item__note")).to_have_text(
        "Hips high, shoulders over the line.")
    expect(page.get_by_role("button", name=re.compile("^Move"))).to_have_count(0)
    _image_loaded(page)
    check_page(page, "showcases-read")


def _make_link(page) -> str:
    page.get_by_role("link", name="Change this showcase").click()
    page.get_by_role("link", name="Secret links").click()
    expect(page.get_by_role("heading", name=f"Secret links to “{TITLE}”")).to_be_visible()
    expect(page.get_by_text("You have not made a secret link to this showcase.")).to_be_visible()
    check_page(page, "showcases-links-none")
    page.get_by_label("Who it is for").fill("Club committee, March")
    expect(page.get_by_label("Days until it stops working")).to_have_value("30")
    _post(page, page.get_by_role("button", name="Make the link"))
    address = page.get_by_label("Secret link").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/s/[A-Za-z0-9_-]{20,}", address), address
    check_page(page, "showcases-links-new")
    page.goto(page.url)  # the token is shown on that answer only
    expect(page.get_by_label("Secret link")).to_have_count(0)
    return address


def test_a_candidate_builds_a_showcase_shares_a_secret_link_and_revokes_it(
        page, visitor, live_server, world):
    base = live_server.url
    sign_in(page, base, world.author.email, PASSWORD)
    _build(page)
    page.get_by_role("link", name="Back to showcases").click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    check_page(page, "showcases-list")
    page.get_by_role("link", name=TITLE).click()
    _read(page)
    address = _make_link(page)

    answer = visitor.goto(address)
    assert answer.status == 200
    expect(visitor.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    assert _order(visitor) == [HEADING, PHOTO, ENTRY]
    expect(visitor.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(visitor.locator("body")).not_to_contain_text(world.author.display_name)
    _image_loaded(visitor)
    file_address = base + _item(visitor, PHOTO).locator(".showcase-item__file a").get_attribute(
        "href")
    opened = visitor.request.get(file_address)
    assert opened.status == 200 and opened.headers["content-type"].startswith("image/")
    check_page(visitor, "showcases-public")

    page.goto(page.url)
    row = page.get_by_role("row", name=re.compile("Club committee, March"))
    expect(row.get_by_role("cell").nth(1)).to_have_text("Live")
    expect(row.get_by_role("cell").nth(4)).to_contain_text("2")  # the page and the file
    page.get_by_role("link", name="View log for “Club committee, March”").click()
    expect(page.get_by_role("heading", name="Who opened the link for “Club committee, March”")
           ).to_be_visible()
    log = page.get_by_role("table")
    expect(log.get_by_role("cell", name="The showcase page")).to_have_count(1)
    expect(log.get_by_role("cell", name=f"File: {PHOTO}")).to_have_count(1)
    expect(log.get_by_role("cell", name="127.0.0.x").first).to_be_visible()
    check_page(page, "showcases-link-log")

    page.get_by_role("link", name="Back to the links").click()
    _post(page, row.get_by_role("button", name="Revoke"))
    expect(page.get_by_text("The link for “Club committee, March” no longer works.")
           ).to_be_visible()
    expect(row.get_by_role("cell").nth(1)).to_have_text("Revoked")
    check_page(page, "showcases-links-revoked")

    refused = visitor.goto(address)
    assert refused.status == 404
    expect(visitor.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
    expect(visitor.locator("body")).not_to_contain_text(TITLE)
    assert visitor.request.get(file_address).status == 404
