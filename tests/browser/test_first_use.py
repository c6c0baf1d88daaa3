"""What a first-time user trips over, in a real browser: finding exports and the philosophy,
the "Shared with me" feed, the phone menu, and confirming what is hard to undo.

Each page is checked with axe at 1280 px and 375 px (check_page); waits are on conditions.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import check_page, sign_in
from tests.factories import PASSWORD, make_entry, make_scenario


@pytest.fixture
def world(db_ctx):
    s = make_scenario()
    s.shared = make_entry(s.author, cohort=s.cohort, privacy="peers", title="Relay changeovers")
    db_ctx.commit()
    return s


def _nav_link(page, name):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


# --- 12. the phone header ---------------------------------------------------------------------

def test_the_phone_header_collapses_into_a_menu_button(page, live_server, world):
    sign_in(page, live_server.url, world.peer.email, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/portfolio/")
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] < 100, header
    menu = page.locator("summary", has_text="Menu")
    expect(menu).to_be_visible()
    expect(_nav_link(page, "Shared with me")).to_be_hidden()
    check_page(page, "first-use-phone-menu-closed")
    page.set_viewport_size(PHONE)
    menu.click()
    expect(_nav_link(page, "Shared with me")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.keyboard.press("Escape")
    expect(_nav_link(page, "Shared with me")).to_be_hidden()
    expect(menu).to_be_focused()
    menu.click()
    with page.expect_navigation():
        _nav_link(page, "Shared with me").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shared with me")
    page.set_viewport_size(DESKTOP)
    expect(menu).to_be_hidden()
    expect(_nav_link(page, "Shared with me")).to_be_visible()
    expect(_nav_link(page, "Shared with me")).to_have_attribute("aria-current", "page")


def test_the_phone_menu_works_without_javascript(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, live_server.url, world.peer.email, PASSWORD)
        page.goto(f"{live_server.url}/portfolio/")
        expect(_nav_link(page, "My cohort")).to_be_hidden()
        page.locator("summary", has_text="Menu").click()
        expect(_nav_link(page, "My cohort")).to_be_visible()
        with page.expect_navigation():
            _nav_link(page, "My cohort").click()
        expect(page).to_have_url(re.compile(r"/programme/cohorts/\d+$"))
    finally:
        context.close()


# --- 6. finding exports, personal data, philosophy and goals --------------------------------

def test_a_candidate_finds_exports_philosophy_and_goals_on_the_home_page(page, live_server,
                                                                        world):
    sign_in(page, live_server.url, world.author.email, PASSWORD)
    page.goto(f"{live_server.url}/portfolio/")
    for name in ("Write your coaching philosophy", "Add a goal", "Export my portfolio",
                 "Download my data"):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    # They sit above the entries, not at the foot of the sidebar.
    philosophy = page.get_by_role("link", name="Write your coaching philosophy").bounding_box()
    entries = page.get_by_role("heading", name="My entries").bounding_box()
    assert philosophy["y"] < entries["y"]
    check_page(page, "first-use-home")
    with page.expect_navigation():
        page.get_by_role("link", name="Export my portfolio").click()
    expect(page).to_have_url(re.compile(r"/exports/my-portfolio$"))
    page.go_back()
    with page.expect_navigation():
        page.get_by_role("link", name="Download my data").click()
    expect(page).to_have_url(re.compile(r"/privacy/my-data$"))


# --- 7. "Shared with me" ------------------------------------------------------------------------

def test_a_peer_sees_what_was_shared_and_what_changed_since(page, live_server, world, db_ctx):
    from portfolio.entries import services
    from portfolio.entries.models import Entry

    sign_in(page, live_server.url, world.peer.email, PASSWORD)
    with page.expect_navigation():
        _nav_link(page, "Shared with me").click()
    item = page.locator(".entry-list__item", has_text="Relay changeovers")
    expect(item).to_contain_text("New to you")
    expect(item).to_contain_text("Aisha Author")
    expect(page.locator("#unseen-summary")).to_contain_text("1 entry new or changed")
    check_page(page, "first-use-shared-new")
    with page.expect_navigation():
        item.get_by_role("link", name="Relay changeovers").click()
    with page.expect_navigation():
        _nav_link(page, "Shared with me").click()
    expect(page.locator("#unseen-summary")).to_contain_text("You are up to date")
    # The author saves a new version; the peer's feed says it changed, with a link to the diff.
    entry = db_ctx.get(Entry, world.shared.id)
    services.update_working_copy(entry, services.EntryDraft(
        sections={**entry.sections, "now_what": "Mark-ups at 25 m."}), world.author)
    services.save_version(entry, world.author)
    db_ctx.commit()
    page.reload()
    expect(item).to_contain_text("Changed since you read version 1")
    with page.expect_navigation():
        item.get_by_role("link", name=re.compile("See what changed")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Changes from version 1 to version 2")
    expect(page).to_have_url(re.compile(r"/compare/1/2$"))


def test_the_peer_group_is_notified_when_an_entry_is_shared(browser, live_server, world):
    # Without scripts, so no autosave races the Save button: the form posts once.
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, live_server.url, world.author.email, PASSWORD)
        page.goto(f"{live_server.url}/portfolio/entries/new?model=what_so_what")
        page.get_by_label("Title").fill("Hurdle rhythm")
        page.get_by_label("Date of the practice").fill("2026-10-05")
        page.get_by_label("What?", exact=True).fill("Three-stride rhythm broke at hurdle 4.")
        page.get_by_label("My peer group and coach developers").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Hurdle rhythm")
        context.clear_cookies()
        sign_in(page, live_server.url, world.peer.email, PASSWORD)
        expect(page.locator(".site-header__account .site-header__notifications")).to_contain_text(
            "1")
        page.goto(f"{live_server.url}/notifications/")
        note = page.get_by_role("button", name="Aisha Author shared “Hurdle rhythm” with you.",
                                exact=True)
        expect(note).to_be_visible()
        with page.expect_navigation():
            note.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Hurdle rhythm")
    finally:
        context.close()


# --- 13. confirming what is hard to undo -------------------------------------------------------

@pytest.mark.parametrize("scripts", [True, False], ids=["with-js", "without-js"])
def test_closing_the_active_year_is_confirmed_first(browser, live_server, world, scripts):
    context = browser.new_context(java_script_enabled=scripts, viewport=DESKTOP,
                                  locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, live_server.url, world.lead.email, PASSWORD)
        page.goto(f"{live_server.url}/programme/")
        with page.expect_navigation():
            page.get_by_role("link", name=f"Close {world.year.label}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Close {world.year.label}?")
        expect(page.locator("#what-will-happen")).to_contain_text("no longer shared")
        if scripts:
            check_page(page, "first-use-confirm-close-year")
        with page.expect_navigation():
            page.get_by_role("button", name=f"Close {world.year.label}").click()
        expect(page.get_by_role("heading", name=re.compile(world.year.label))).to_contain_text(
            "Closed")
    finally:
        context.close()


def test_granting_the_admin_role_is_confirmed_first(page, live_server, world):
    sign_in(page, live_server.url, world.admin.email, PASSWORD)
    page.goto(f"{live_server.url}/admin/users/{world.author.id}")
    check_page(page, "first-use-admin-user")
    with page.expect_navigation():
        page.get_by_role("link", name="Grant Admin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make Aisha Author an admin?")
    check_page(page, "first-use-confirm-grant-admin")
    with page.expect_navigation():
        page.get_by_role("link", name="Cancel").click()
    expect(page.locator("table", has_text="Global roles").get_by_role("row", name=re.compile(
        "^Admin"))).to_contain_text("No")
    with page.expect_navigation():
        page.get_by_role("link", name="Grant Admin").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Grant the admin role").click()
    expect(page.get_by_role("row", name=re.compile("^Admin"))).to_contain_text("Yes")


# --- 8 and 14. the audit log in words, an admin correcting a person's details ---------------

def test_a_lead_reads_the_cohort_audit_log_in_words(page, live_server, world, db_ctx):
    from portfolio.audit.services import record

    record("login.succeeded", actor=world.author, target=world.author, address="192.0.2.1")
    record("role.granted", actor=world.admin, target=world.author, role="programme_lead")
    db_ctx.commit()
    sign_in(page, live_server.url, world.lead.email, PASSWORD)
    page.goto(f"{live_server.url}/programme/cohorts/{world.cohort.id}")
    with page.expect_navigation():
        page.get_by_role("link", name="Audit log of this cohort").click()
    expect(page.get_by_role("cell", name=re.compile("Signed in"))).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Granted a role"))).to_contain_text(
        "Role: programme lead")
    check_page(page, "first-use-audit-log")
    page.get_by_label("Show").select_option(label="Granted a role")
    with page.expect_navigation():
        page.get_by_role("button", name="Show events").click()
    expect(page.get_by_role("cell", name=re.compile("Signed in"))).to_have_count(0)
    expect(page.get_by_role("cell", name=re.compile("Granted a role"))).to_be_visible()


def test_an_admin_corrects_a_name_and_email(page, live_server, world):
    sign_in(page, live_server.url, world.admin.email, PASSWORD)
    page.goto(f"{live_server.url}/admin/users/{world.outsider.id}")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Change name or email address")).click()
    page.get_by_label("Email address").fill(world.peer.email)
    with page.expect_navigation():
        page.get_by_role("button", name="Save name and email").click()
    expect(page.locator(".error-summary")).to_contain_text("Another account already uses")
    check_page(page, "first-use-admin-details-error")
    page.get_by_label("Name").fill("Olu Okafor")
    page.get_by_label("Email address").fill("olu.okafor@example.test")
    with page.expect_navigation():
        page.get_by_role("button", name="Save name and email").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Olu Okafor")
    expect(page.locator(".summary-list")).to_contain_text("olu.okafor@example.test")
