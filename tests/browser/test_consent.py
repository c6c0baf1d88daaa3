"""Consent in a real browser: the candidate marks a photo as showing under-18s, is told about a
future date next to the field, records a parent's consent and sees the badge; the lead reads the
consent report. axe finds no WCAG 2.2 AA problem on the new pages at 1280 and 375 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, sign_in, sign_out
from tests.consent.builders import shared_photo
from tests.factories import PASSWORD, make_scenario
from tests.observations.builders import make_observation

TITLE = "Under-13 relay changeover photo"


@pytest.fixture
def world(db_ctx):
    s = make_scenario()
    s.photo, _ = shared_photo(s.author, s.cohort, title=TITLE)
    s.observation = make_observation(s, shared=True)
    db_ctx.commit()
    return s


def test_a_candidate_records_consent_and_the_lead_reads_the_report(page, live_server, world):
    base = live_server.url
    sign_in(page, base, world.author.email, PASSWORD)
    page.goto(f"{base}/evidence/{world.photo.id}")
    page.get_by_role("link", name="Consent for athletes under 18").click()
    expect(page.get_by_role("heading", name="Consent for athletes under 18")).to_be_visible()
    check_page(page, "consent-unflagged")
    with page.expect_navigation():
        page.get_by_role("button", name="It involves athletes under 18").click()
    expect(page.get_by_text("Under 18: consent needed").first).to_be_visible()

    page.get_by_label("Name of the parent or carer who gave consent").fill("Maria Parent")
    page.get_by_label("Parent", exact=True).check()
    page.get_by_label("Date consent was given").fill("2030-01-01")
    page.get_by_label("Wider sharing (also the peer group)").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_text("cannot be in the future").first).to_be_visible()
    expect(page.get_by_label("Name of the parent or carer who gave consent")
           ).to_have_value("Maria Parent")
    check_page(page, "consent-form-error")
    page.get_by_label("Date consent was given").fill("2026-11-20")
    with page.expect_navigation():
        page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_text("Under 18: consent given").first).to_be_visible()
    check_page(page, "consent-evidence-detail")
    page.goto(f"{base}/consent/evidence/{world.photo.id}")
    check_page(page, "consent-given")

    # An observation of an under-17 session: consent from the observation page.
    page.goto(f"{base}/observations/{world.observation.id}")
    check_page(page, "consent-observation")
    page.get_by_role("link", name="Consent for athletes under 18").click()
    with page.expect_navigation():
        page.get_by_role("button", name="It involves athletes under 18").click()
    expect(page.get_by_label("Name of the parent or carer who gave consent")).to_be_visible()
    check_page(page, "consent-observation-form")
    sign_out(page)

    sign_in(page, base, world.lead.email, PASSWORD)
    page.goto(f"{base}/programme/")
    page.get_by_role("link", name="Consent for athletes under 18").click()
    check_page(page, "consent-report-index")
    page.get_by_role("link", name=world.cohort.name).click()
    expect(page.get_by_text("Maria Parent (Parent)")).to_be_visible()
    check_page(page, "consent-report")
