"""Accounts in a real browser: accessible pages, keyboard-only sign-in, no-JavaScript path."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, sign_in
from tests.factories import PASSWORD, make_user


@pytest.fixture
def coach(db_ctx):
    user = make_user("coach@example.test", "Casey Coach")
    db_ctx.commit()
    return user


def test_sign_in_page_is_accessible_at_both_widths(page, live_server):
    page.goto(f"{live_server.url}/account/login")
    check_page(page, "login")


def test_error_summary_is_focused_and_links_to_the_field(page, live_server):
    page.goto(f"{live_server.url}/account/login")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # focused by script once the page has loaded
    check_page(page, "login-errors")
    page.get_by_role("link", name="Enter your email address.").click()
    expect(page.locator("#email")).to_be_focused()


def test_keyboard_only_sign_in(page, live_server, coach):
    page.goto(f"{live_server.url}/account/login")
    page.keyboard.press("Tab")  # skip link comes first
    assert page.evaluate("document.activeElement.textContent.trim()") == \
        "Skip to main content"
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "email":
            break
    page.keyboard.type(coach.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"/account/login"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_sign_in_and_out_without_javascript(browser, live_server, coach):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, coach.email, PASSWORD)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("body")).to_contain_text("You have signed out.")
    context.close()


def test_wrong_password_message_in_the_browser(page, live_server, coach):
    sign_in(page, live_server.url, coach.email, "not the right one")
    expect(page.get_by_text("Enter a correct email address and password.").first).to_be_visible()


def test_forgot_password_and_settings_pages_are_accessible(page, live_server, coach):
    page.goto(f"{live_server.url}/account/forgot-password")
    check_page(page, "forgot-password")
    sign_in(page, live_server.url, coach.email, PASSWORD)
    page.goto(f"{live_server.url}/account/settings")
    check_page(page, "account-settings")
    page.goto(f"{live_server.url}/account/password")
    check_page(page, "change-password")
