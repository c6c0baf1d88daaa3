"""Observed practice in a real browser (issue 15, items 1-2): a coach developer records an
observation of a candidate's session on the default session template (a refused send first,
with the text kept), the candidate reads it, shares it with their peer group and starts a
linked reflection; a lead reads and drafts templates. axe finds no WCAG 2.2 AA problem at 1280
and 375 px on the list, the record form (and its errors), the observation as candidate and
observer, and the template pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portfolio.observations.models import Observation
from tests.browser.helpers import check_page, sign_in
from tests.factories import PASSWORD, make_scenario
from tests.observations.builders import default_template

STRENGTHS = "Short, calm cues at the blocks; the group repeated them back."
NEXT_STEPS = "Let the athletes lead the warm-up next block."


@pytest.fixture
def world(db_ctx):
    s = make_scenario()
    s.template = default_template(s.framework)
    db_ctx.commit()
    return s


def _post(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def _record(page, world) -> None:
    page.get_by_role("link", name="Observations").first.click()
    expect(page.get_by_role("heading", name="Observations", level=1)).to_be_visible()
    check_page(page, "observations-list-developer")
    page.get_by_role("main").get_by_role("link", name=world.author.display_name).click()
    expect(page.get_by_role("heading", name=re.compile("Record an observation"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Session observation")).click()
    expect(page.get_by_text("Template: Session observation (version 1).")).to_be_visible()
    check_page(page, "observations-record")

    page.get_by_label("Strengths").fill(STRENGTHS)
    _post(page, page.get_by_role("button", name="Record the observation"))
    expect(page.locator(".error-summary")).to_contain_text("Enter the date of the session.")
    expect(page.get_by_label("Strengths")).to_have_value(STRENGTHS)
    check_page(page, "observations-record-errors")

    page.get_by_label("Date of the session").fill("2026-10-14")
    page.get_by_label("Venue").fill("Lee Valley, back straight")
    page.get_by_label("Age band of the athletes").select_option(label="Under 17")
    page.get_by_label("The group includes para athletes").check()
    criterion = page.get_by_role("group", name=re.compile("clear purpose"))
    criterion.get_by_label("Secure").check()
    page.get_by_label("Next steps").fill(NEXT_STEPS)
    _post(page, page.get_by_role("button", name="Record the observation"))
    expect(page.get_by_text("Observation recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Observation of"))).to_be_visible()
    check_page(page, "observations-show-observer")


def _candidate(page, url: str) -> None:
    page.get_by_role("link", name="Observations").first.click()
    page.get_by_role("main").get_by_role("link", name="14 Oct 2026").click()
    expect(page).to_have_url(url)
    expect(page.get_by_role("heading", name="Your observed session", level=1)).to_be_visible()
    expect(page.get_by_text(STRENGTHS)).to_be_visible()
    expect(page.get_by_text("Under 17, including para athletes")).to_be_visible()
    check_page(page, "observations-show-candidate")
    _post(page, page.get_by_role("button", name="Share with my peer group"))
    expect(page.get_by_text("Shared with your peer group.")).to_be_visible()
    _post(page, page.get_by_role("button", name="Reflect on this observation"))
    expect(page).to_have_url(re.compile(r"/portfolio/entries/\d+/edit$"))
    expect(page.get_by_label("Title")).to_have_value(re.compile("^Reflection: Session observation"))
    page.goto(url)
    expect(page.get_by_role("link", name="Open your reflection on this observation")).to_be_visible()


def _templates(page, world) -> None:
    page.get_by_role("link", name="Observations").first.click()
    page.get_by_role("link", name="Observation templates").click()
    expect(page.get_by_role("heading", name="Observation templates", level=1)).to_be_visible()
    check_page(page, "observations-templates")
    page.get_by_role("link", name="Session observation (version 1)").click()
    expect(page.get_by_role("button", name="Start a new version")).to_be_visible()
    check_page(page, "observations-template")
    page.get_by_role("link", name="Back to templates").click()
    page.get_by_role("link", name="New template").click()
    page.get_by_label("Name").fill("Indoor session")
    page.get_by_label("Sections and criteria").fill("## Warm-up\n- Progressive warm-up [ZZ1]")
    _post(page, page.get_by_role("button", name="Save draft"))
    expect(page.locator(".error-summary")).to_contain_text("ZZ1 is not a competency code")
    check_page(page, "observations-template-errors")
    page.get_by_label("Sections and criteria").fill("## Warm-up\n- Progressive warm-up [VP1]")
    _post(page, page.get_by_role("button", name="Save draft"))
    expect(page.get_by_text("Draft template saved.")).to_be_visible()
    expect(page.get_by_role("button", name="Publish")).to_be_visible()


def test_an_observation_from_recording_to_a_linked_reflection(
        page, browser, live_server, world, db_ctx):
    base = live_server.url
    sign_in(page, base, world.developer.email, PASSWORD)
    _record(page, world)
    observation_id = db_ctx.query(Observation.id).scalar()
    db_ctx.rollback()
    url = f"{base}/observations/{observation_id}"

    context = browser.new_context()
    try:
        candidate = context.new_page()
        sign_in(candidate, base, world.author.email, PASSWORD)
        _candidate(candidate, url)
    finally:
        context.close()

    lead_context = browser.new_context()
    try:
        lead = lead_context.new_page()
        sign_in(lead, base, world.lead.email, PASSWORD)
        _templates(lead, world)
    finally:
        lead_context.close()
