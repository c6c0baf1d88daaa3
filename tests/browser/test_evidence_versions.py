"""Evidence belongs to a saved version, in a real browser: Upload and attach offers to save a
new version, an old version shows only what it was saved with, and the comparison names the
evidence added and removed. Every page is checked with axe at 1280 and 375 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, sign_in
from tests.evidence.builders import entry_with, pdf_bytes, store
from tests.factories import PASSWORD, make_scenario


@pytest.fixture
def world(db_ctx):
    s = make_scenario()
    db_ctx.commit()
    s.plan = store(s.author, "plan.pdf", title="Session plan")
    s.entry = entry_with(s.author, [s.plan], cohort=s.cohort, privacy="peers",
                         title="Block starts with the U17 group")
    return s


def test_upload_and_attach_then_save_now_keeps_each_versions_evidence(
        page, live_server, world, tmp_path):
    base, entry_id = live_server.url, world.entry.id
    sign_in(page, base, world.author.email, PASSWORD)
    page.goto(f"{base}/evidence/entry/{entry_id}/attach")
    expect(page.get_by_role("heading", name="Evidence for this entry")).to_be_visible()
    expect(page.get_by_text("Evidence changes not saved as a version yet")).to_have_count(0)

    warm_up = tmp_path / "warm-up drills.pdf"
    warm_up.write_bytes(pdf_bytes("warm-up drills"))
    page.get_by_label("Choose files").set_input_files(str(warm_up))
    page.get_by_role("button", name="Upload and attach").click()
    offer = page.get_by_role("region", name="Evidence changes not saved as a version yet")
    expect(offer).to_contain_text("Attached since version 1: “warm-up drills”")
    expect(offer).to_contain_text("Readers and reviewers still see the evidence of version 1.")
    check_page(page, "evidence-attach-save-offer")

    with page.expect_navigation():
        offer.get_by_role("button", name="Save as version 2 now").click()
    expect(page).to_have_url(re.compile(rf"/portfolio/entries/{entry_id}$"))
    expect(page.locator("body")).to_contain_text("Saved as version 2.")
    panel = page.locator(".evidence-panel")
    expect(panel).to_contain_text("warm-up drills")
    expect(panel).to_contain_text("Session plan")
    expect(panel.get_by_role("region")).to_have_count(0)  # nothing left to save

    page.goto(f"{base}/portfolio/entries/{entry_id}/versions/1")
    expect(page.get_by_text("You are reading version 1")).to_be_visible()
    panel = page.locator(".evidence-panel")
    expect(panel).to_contain_text("Session plan")
    expect(panel).not_to_contain_text("warm-up drills")
    expect(panel).not_to_contain_text("not saved as a version yet")
    check_page(page, "entry-old-version-evidence")

    page.goto(f"{base}/portfolio/entries/{entry_id}/compare/1/2")
    expect(page.get_by_role("heading", name="Evidence", exact=True)).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Evidence added:")).to_contain_text(
        "warm-up drills")
    check_page(page, "entry-compare-evidence")


def test_removing_evidence_offers_the_save_on_the_entry_page(page, live_server, world):
    base, entry_id = live_server.url, world.entry.id
    sign_in(page, base, world.author.email, PASSWORD)
    page.goto(f"{base}/evidence/entry/{entry_id}/attach")
    with page.expect_navigation():
        page.get_by_role("button", name="Remove").click()
    expect(page.get_by_role("region", name="Evidence changes not saved as a version yet")
           ).to_contain_text("Removed since version 1: “Session plan”")
    page.goto(f"{base}/portfolio/entries/{entry_id}")
    offer = page.locator(".evidence-panel").get_by_role(
        "region", name="Evidence changes not saved as a version yet")
    expect(offer).to_contain_text("Removed since version 1: “Session plan”")
    check_page(page, "entry-evidence-save-offer")
    with page.expect_navigation():
        offer.get_by_role("button", name="Save as version 2 now").click()
    expect(page.locator("body")).to_contain_text("Saved as version 2.")
    expect(page.locator(".evidence-panel")).to_contain_text("No evidence in this version.")

    page.goto(f"{base}/portfolio/entries/{entry_id}/compare/1/2")
    expect(page.get_by_role("listitem").filter(has_text="Evidence removed:")).to_contain_text(
        "Session plan")
