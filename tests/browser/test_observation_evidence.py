"""Observations as evidence in a real browser: the candidate attaches an observation when asking
for review, the coach developer sees it on the request and the observed marker on the
candidate's progress page and the cohort matrix; the page that starts an in-person sign-off
from an observation. axe finds no WCAG 2.2 AA problem at 1280 and 375 px on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portfolio.observations.models import ObservationReflection
from tests.browser.helpers import check_page, sign_in
from tests.factories import PASSWORD, competency, make_entry, make_scenario
from tests.observations.builders import make_observation

pytestmark = pytest.mark.browser


@pytest.fixture
def world(db_ctx):
    s = make_scenario()
    vp1 = competency(s.framework, "VP1")
    s.observation = make_observation(s, competency_ids=[vp1.id])
    s.unreflected = make_observation(s, competency_ids=[vp1.id], venue="Indoor straight")
    s.entry = make_entry(s.author, cohort=s.cohort, competencies=[vp1])
    db_ctx.add(ObservationReflection(observation_id=s.observation.id, entry_id=s.entry.id))
    db_ctx.commit()
    return s


def test_attach_an_observation_and_see_it_counted(page, live_server, world):
    base = live_server.url
    sign_in(page, base, world.author.email, PASSWORD)
    page.goto(f"{base}/portfolio/entries/{world.entry.id}")
    page.get_by_text("Ask your coach developer to review version 1").click()
    page.get_by_role("link", name="Send for review with an observation of your session "
                                  "attached").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("for review")
    check_page(page, "observation-evidence-submit")
    page.get_by_label("VP1", exact=False).first.check()
    page.get_by_label("Attach an observation as evidence (optional)").select_option(
        str(world.observation.id))
    with page.expect_navigation():
        page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_role("heading", name="Observation attached as evidence")).to_be_visible()
    check_page(page, "observation-evidence-request")

    page.goto(f"{base}/observations/{world.unreflected.id}/quick-sign")
    expect(page.get_by_text("write that reflection first")).to_be_visible()
    check_page(page, "observation-evidence-quick-sign")

    page.context.clear_cookies()
    sign_in(page, base, world.developer.email, PASSWORD)
    page.goto(f"{base}/reviews/cohorts/{world.cohort.id}/candidates/{world.author.id}")
    expect(page.get_by_text("Observed 2 times")).to_be_visible()
    check_page(page, "observation-evidence-progress")
    page.goto(f"{base}/exports/cohorts/{world.cohort.id}/progress")
    expect(page.locator(".matrix__observed").first).to_be_attached()
    check_page(page, "observation-evidence-matrix")
