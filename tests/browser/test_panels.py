"""The end-of-programme review panel in a real browser, as issue 16 describes it: a lead schedules
a panel (chaired by the lead, two coach developers on it), the candidate submits a showcase
before the window opens, each member writes notes once it has opened, the chair records
"Extend by 6 months", the candidate reads the outcome and reasons (never the notes) on the
panel page and their portfolio home, and the progress matrix shows it. axe finds no WCAG 2.2
AA problem at 1280 and 375 px on the list, scheduling, the panel page as member, chair and
candidate, and the outcome options pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portfolio.panels.models import ReviewPanel
from portfolio.panels.permissions import today
from tests.browser.helpers import check_page, sign_in
from tests.factories import PASSWORD, add_member, make_scenario, make_user
from tests.panels.builders import make_showcase, open_window

SHOWCASE = "My best coaching year"
FIRST_NOTE = "Strong planning; ask about the relay changeover cues."
SECOND_NOTE = "Thin evidence for the technical competencies."
REASONS = "Two technical competencies still need evidence from competition."


@pytest.fixture
def world(db_ctx):
    s = make_scenario()
    s.second_developer = make_user(name="Dora Second")
    add_member(s.cohort, s.second_developer, role="coach_developer")
    make_showcase(s.author, s.cohort, title=SHOWCASE)
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


def _schedule(page, world) -> None:
    page.get_by_role("link", name="Panels").first.click()
    expect(page.get_by_role("heading", name="Review panels", level=1)).to_be_visible()
    expect(page.get_by_text("There are no review panels for you yet.")).to_be_visible()
    check_page(page, "panels-list-empty")
    page.get_by_role("link", name="Schedule panels").click()
    page.get_by_role("link", name=world.cohort.label).click()
    expect(page.get_by_role("heading", name="Schedule review panels", level=1)).to_be_visible()
    check_page(page, "panels-schedule")

    _post(page, page.get_by_role("button", name="Schedule panels"))
    expect(page.locator(".error-summary")).to_contain_text("Choose at least one candidate.")
    check_page(page, "panels-schedule-errors")

    opens = today() + timedelta(days=7)
    page.get_by_label(world.author.display_name).check()
    page.get_by_label("Panel date").fill((opens + timedelta(days=3)).isoformat())
    page.get_by_label("Review window opens").fill(opens.isoformat())
    page.get_by_label("Review window closes").fill((opens + timedelta(days=10)).isoformat())
    page.get_by_label("Chair").select_option(label=world.lead.display_name)
    page.get_by_label(world.developer.display_name).check()
    page.get_by_label(world.second_developer.display_name).check()
    _post(page, page.get_by_role("button", name="Schedule panels"))
    expect(page.get_by_text("Scheduled 1 panel.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile(world.author.display_name))
    expect(row).to_contain_text("Scheduled")
    check_page(page, "panels-list")


def _outcome_options(page) -> None:
    page.get_by_role("link", name="Outcome options").click()
    expect(page.get_by_role("heading", name="Panel outcome options")).to_be_visible()
    check_page(page, "panels-outcome-options")
    page.get_by_role("link", name="Extend by N months").click()
    expect(page.get_by_role("heading", name="Change “Extend by N months”")).to_be_visible()
    expect(page.get_by_label("Extends the programme by a number of months")).to_be_checked()
    check_page(page, "panels-outcome-option")
    page.get_by_role("link", name="Back to outcome options").click()
    page.get_by_role("link", name="Back to review panels").click()


def _submit_showcase(page, panel_url: str) -> None:
    page.get_by_role("link", name="Panels").first.click()
    page.get_by_role("main").get_by_role("link", name="Aisha Author").click()
    expect(page).to_have_url(panel_url)
    expect(page.get_by_role("heading", name="Your review panel", level=1)).to_be_visible()
    page.get_by_label("Showcase to submit").select_option(label=SHOWCASE)
    _post(page, page.get_by_role("button", name="Submit to the panel"))
    expect(page.get_by_text("Your showcase has been submitted to the panel.")).to_be_visible()
    expect(page.get_by_role("button", name="Submit this one instead")).to_be_visible()
    check_page(page, "panels-candidate-submitted")


def _write_notes(page, panel_url: str, note: str, earlier: list[str]) -> None:
    page.goto(panel_url)
    expect(page.get_by_role("heading", name="Submitted showcase")).to_be_visible()
    expect(page.get_by_role("heading", name="Relay changeover cues")).to_be_visible()
    expect(page.get_by_text(re.compile(r"\d+ of \d+ competencies signed off"))).to_be_visible()
    for text in earlier:
        expect(page.locator("article.card", has_text=text)).to_be_visible()
    page.get_by_label("Your notes").fill(note)
    _post(page, page.get_by_role("button", name="Save my notes"))
    expect(page.get_by_text("Your notes have been saved.")).to_be_visible()
    expect(page.locator("article.card", has_text=note)).to_be_visible()
    expect(page.get_by_label("Your notes")).to_have_value(note)


def _record_outcome(page, panel_url: str) -> None:
    page.goto(panel_url)
    expect(page.get_by_role("heading", name="Record the outcome")).to_be_visible()
    expect(page.locator("article.card")).to_have_count(2)
    check_page(page, "panels-chair")
    page.get_by_label("Extend by N months").check()
    page.get_by_label("Extension in months").fill("6")
    page.get_by_label("Reasons").fill(REASONS)
    _post(page, page.get_by_role("button", name="Record the outcome"))
    expect(page.get_by_text("Outcome recorded: Extend by 6 months.")).to_be_visible()
    expect(page.get_by_role("heading", name="Outcome: Extend by 6 months")).to_be_visible()
    expect(page.get_by_role("button", name="Record the outcome")).to_have_count(0)
    check_page(page, "panels-chair-decided")


def _candidate_reads_the_outcome(page, panel_url: str) -> None:
    page.goto(panel_url)
    outcome = page.get_by_role("region", name="Outcome: Extend by 6 months")
    expect(outcome).to_contain_text(REASONS)
    body = page.locator("body")
    for private in (FIRST_NOTE, SECOND_NOTE, "Panel notes"):
        expect(body).not_to_contain_text(private)
    check_page(page, "panels-candidate-decided")
    page.get_by_role("link", name="My portfolio").first.click()
    home = page.get_by_role("region", name="Review panel")
    expect(home).to_contain_text("Extend by 6 months")
    expect(page.locator("body")).not_to_contain_text(FIRST_NOTE)
    home.get_by_role("link").click()
    expect(page).to_have_url(panel_url)


def test_a_panel_from_scheduling_to_the_outcome_in_the_matrix(
        page, signed_in, live_server, world, db_ctx):
    base = live_server.url
    sign_in(page, base, world.lead.email, PASSWORD)
    _schedule(page, world)
    _outcome_options(page)
    panel_id = db_ctx.query(ReviewPanel.id).filter_by(candidate_id=world.author.id).scalar()
    db_ctx.rollback()
    panel_url = f"{base}/panels/{panel_id}"

    candidate = signed_in(world.author)
    _submit_showcase(candidate, panel_url)

    member = signed_in(world.developer)
    member.goto(panel_url)
    expect(member.get_by_text(re.compile("The review window opens on"))).to_be_visible()
    expect(member.get_by_role("heading", name="Submitted showcase")).to_have_count(0)
    check_page(member, "panels-member-before-window")

    # The window is a span of UK calendar days: the test moves it to have opened yesterday,
    # as the passing days would, instead of waiting a week.
    open_window(db_ctx.get(ReviewPanel, panel_id))
    db_ctx.commit()

    _write_notes(member, panel_url, FIRST_NOTE, earlier=[])
    check_page(member, "panels-member")
    _write_notes(signed_in(world.second_developer), panel_url, SECOND_NOTE, earlier=[FIRST_NOTE])

    _record_outcome(page, panel_url)
    _candidate_reads_the_outcome(candidate, panel_url)

    page.goto(f"{base}/exports/cohorts/{world.cohort.id}/progress")
    expect(page.get_by_role("columnheader", name="Review panel")).to_be_visible()
    row = page.get_by_role("row", name=re.compile(world.author.display_name))
    expect(row.locator(".matrix__panel")).to_have_text("Review panel: Extend by 6 months")
    other = page.get_by_role("row", name=re.compile(world.peer.display_name))
    expect(other.locator(".matrix__panel")).to_have_text("Review panel: None yet")
