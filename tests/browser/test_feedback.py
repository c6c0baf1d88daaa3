"""External feedback in a real browser: the candidate asks a club head coach about one of their
sessions; the coach, in a fresh browser with no account, opens the mailed link, sees only that
session and gives feedback; a second send through the same link is refused; the candidate reads
the feedback, marked as external testimony. axe finds no WCAG 2.2 AA problem at 1280 and 375 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portfolio.mail.models import OutboxMessage
from tests.browser.helpers import check_page, sign_in
from tests.factories import PASSWORD, make_entry, make_scenario

ENTRY = "Relay changeovers with the under-17s"
OTHER = "Private doubts about selection"
COACH = "coach@riverside.example"


@pytest.fixture
def world(db_ctx):
    s = make_scenario()
    make_entry(s.author, cohort=s.cohort, privacy="private", title=ENTRY)
    make_entry(s.author, cohort=s.cohort, privacy="private", title=OTHER)
    db_ctx.commit()
    return s


@pytest.fixture
def coach(browser):
    """A browser context for the person asked, who has no account."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def _mailed_link(db_ctx) -> str:
    db_ctx.expire_all()
    body = db_ctx.scalar(select(OutboxMessage.body_text).where(
        OutboxMessage.to_address == COACH))
    return re.search(r"https?://\S+/f/[A-Za-z0-9_-]{43}", body).group(0)


def _send(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def _ask(page, base) -> None:
    page.goto(f"{base}/feedback/")
    expect(page.get_by_role("heading", name="External feedback", level=1)).to_be_visible()
    page.get_by_role("link", name="Ask for feedback").click()
    expect(page.get_by_role("heading", name="Ask for feedback on a session")).to_be_visible()
    check_page(page, "feedback-ask")
    _send(page, "Send the request")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_page(page, "feedback-ask-errors")
    page.get_by_label("Session from my portfolio").select_option(label=ENTRY)
    page.get_by_label("Your question for them (optional)").fill("Was my pacing right?")
    page.get_by_label("Their name").fill("Hana Headcoach")
    page.get_by_label("Their email address").fill(COACH)
    page.get_by_label("How they know your coaching").select_option(label="Club head coach")
    _send(page, "Send the request")
    expect(page.get_by_text("We have emailed Hana Headcoach")).to_be_visible()
    expect(page.get_by_text("Waiting", exact=True)).to_be_visible()
    check_page(page, "feedback-index")


def _give(coach, link) -> None:
    coach.goto(link)
    expect(coach.get_by_role("heading", name="Feedback on a coaching session")).to_be_visible()
    expect(coach.get_by_text(ENTRY)).to_be_visible()
    expect(coach.get_by_text("Was my pacing right?")).to_be_visible()
    body = coach.content()
    assert OTHER not in body and "Aisha Author" not in body
    assert coach.get_by_role("navigation").count() == 0
    check_page(coach, "feedback-external-form")
    coach.get_by_label("What went well in the session?").fill("Smooth baton exchanges.")
    coach.get_by_label("What could be better next time?").fill("Shorter queues at the line.")
    coach.get_by_label("Your role (optional)").fill("Head coach, Riverside AC")
    _send(coach, "Send feedback")
    expect(coach.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    check_page(coach, "feedback-external-thanks")


def test_a_candidate_asks_an_outsider_gives_feedback_once_and_the_candidate_reads_it(
        page, coach, live_server, world, db_ctx):
    base = live_server.url
    sign_in(page, base, world.author.email, PASSWORD)
    _ask(page, base)
    link = _mailed_link(db_ctx)
    # A second tab with the same form open, sent after the first one.
    second_tab = coach.context.new_page()
    second_tab.goto(link)
    _give(coach, link)

    second_tab.get_by_label("What went well in the session?").fill("A second opinion")
    _send(second_tab, "Send feedback")
    expect(second_tab.get_by_role("heading", name="This feedback link has already been used")
           ).to_be_visible()
    check_page(second_tab, "feedback-external-used")
    answer = coach.goto(link)
    assert answer.status == 410
    expect(coach.get_by_role("heading", name="This feedback link has already been used")
           ).to_be_visible()

    page.goto(f"{base}/feedback/")
    page.get_by_role("link", name=re.compile("Read the feedback")).click()
    expect(page.get_by_text("External testimony")).to_be_visible()
    expect(page.get_by_text("Smooth baton exchanges.")).to_be_visible()
    assert "A second opinion" not in page.content()
    check_page(page, "feedback-show")
