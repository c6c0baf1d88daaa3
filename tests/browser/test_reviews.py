"""Reviews in a real browser: accessible at desktop and 375px, and usable without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, sign_in
from tests.factories import PASSWORD


@pytest.fixture
def review_world(db_ctx):
    from portfolio.reviews import services
    from tests.reviews.builders import scenario_with_entry, submit

    s = scenario_with_entry(sections={
        "what": "We worked on **block starts** with five U17 sprinters.",
        "so_what": "Reaction was slow after long explanations.",
        "now_what": "One cue each next week."})
    s.request = submit(s)
    comment = services.add_comment(s.entry, s.peer, "The single cue idea is *great*.")
    services.add_comment(s.entry, s.author, "Thanks, I will film it.", comment)
    services.add_peer_feedback(s.entry, s.peer, "Clear plan.", "Film from the side.",
                               "Which cue worked best?")
    db_ctx.commit()
    return s


def test_reviews_pages_are_accessible(page, live_server, review_world):
    s = review_world
    sign_in(page, live_server.url, s.developer.email, PASSWORD)
    page.goto(f"{live_server.url}/reviews/dashboard")
    check_page(page, "reviews-dashboard")
    page.goto(f"{live_server.url}/reviews/requests/{s.request.id}")
    page.get_by_role("button", name="Start review").click()
    page.get_by_role("button", name="Record decisions").click()  # nothing chosen: errors
    expect(page.locator(".error-summary")).to_be_visible()
    check_page(page, "reviews-decision-errors")
    page.goto(f"{live_server.url}/portfolio/entries/{s.entry.id}")
    check_page(page, "reviews-entry-panel")
    page.goto(f"{live_server.url}/notifications/")
    check_page(page, "notifications")
    page.goto(f"{live_server.url}/reviews/cohorts/{s.cohort.id}/candidates/{s.author.id}")
    check_page(page, "reviews-progress")


def test_not_yet_requires_feedback_and_return_works_without_javascript(browser, live_server,
                                                                      review_world):
    s = review_world
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, s.developer.email, PASSWORD)
    page.goto(f"{live_server.url}/reviews/requests/{s.request.id}")
    page.get_by_role("button", name="Start review").click()
    page.get_by_label("Signed off").first.check()
    page.get_by_label("Not yet").last.check()
    page.get_by_label("Overall feedback").fill("Add a measurable target, then resubmit.")
    page.get_by_role("button", name="Return for revision").click()
    expect(page.locator("body")).to_contain_text("Say what is missing for VP2")
    expect(page.locator("body")).to_contain_text("Add a measurable target")  # kept
    page.get_by_label("Feedback on VP2").fill("How will you know the cue worked?")
    page.get_by_role("button", name="Return for revision").click()
    expect(page.locator("body")).to_contain_text("Entry returned for revision")
    context.close()


def test_a_peer_comments_and_signs_off_without_javascript(browser, live_server, review_world):
    s = review_world
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, s.peer.email, PASSWORD)
    page.goto(f"{live_server.url}/portfolio/entries/{s.entry.id}")
    page.get_by_label("Add a comment").fill("Try a partner-resisted start too.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("body")).to_contain_text("Your comment has been posted.")
    page.get_by_text("Sign off a competency as a peer").click()
    page.get_by_label("VP2 Competency VP2").check()
    page.get_by_label("Short note").fill("Saw it work at the track.")
    page.get_by_role("button", name="Sign off", exact=True).click()
    expect(page.locator("body")).to_contain_text("You signed off VP2 on version 1.")
    context.close()


def tab_to(page, text: str, limit: int = 120) -> None:
    """Press Tab until the focused element's text or label starts with `text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
            const el = document.activeElement;
            const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
            return (label || el.innerText || el.value || "").trim();
        }""")
        if focused.startswith(text):
            return
    raise AssertionError(f"Tab never reached {text!r}")


def test_keyboard_only_entry_submission(page, live_server, db_ctx):
    from tests.reviews.builders import scenario_with_entry

    s = scenario_with_entry()
    db_ctx.commit()
    sign_in(page, live_server.url, s.author.email, PASSWORD)
    page.goto(f"{live_server.url}/portfolio/entries/{s.entry.id}")
    tab_to(page, "Ask your coach developer to review version 1")
    page.keyboard.press("Enter")  # opens the disclosure
    tab_to(page, "VP1")
    page.keyboard.press("Space")
    tab_to(page, "VP2")
    page.keyboard.press("Space")
    tab_to(page, "Note to your coach developer")
    page.keyboard.type("Please look at the cue plan.")
    tab_to(page, "Send for review")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("body")).to_contain_text("Your entry has been sent for review.")
