"""Evidence in a real browser: accessible pages at both widths, script upload with progress,
and the plain upload without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from portfolio.evidence.models import Evidence
from tests.browser.helpers import check_page, sign_in
from tests.evidence.builders import SAMPLES, entry_with, image_bytes, store
from tests.factories import PASSWORD, make_scenario


@pytest.fixture
def world(db_ctx):
    s = make_scenario()
    db_ctx.commit()
    s.photo = store(s.author, "photo.jpg", image_bytes("JPEG", size=(800, 600)),
                    title="Block start set-up")
    s.video = store(s.author, "starts.mp4", title="Starts, side view")
    s.plan = store(s.author, "plan.pdf", title="Session plan with a long title that must wrap "
                                             "on a narrow phone screen without scrolling")
    s.entry = entry_with(s.author, [s.photo, s.video, s.plan], cohort=s.cohort,
                         title="Block starts with the U17 group")
    return s


def test_evidence_pages_are_accessible_at_both_widths(page, live_server, world):
    sign_in(page, live_server.url, world.author.email, PASSWORD)
    for name, path in [("evidence-library", "/evidence/"),
                       ("evidence-upload", "/evidence/upload"),
                       ("evidence-link", "/evidence/links/new"),
                       ("evidence-detail-photo", f"/evidence/{world.photo.id}"),
                       ("evidence-detail-video", f"/evidence/{world.video.id}"),
                       ("evidence-attach", f"/evidence/entry/{world.entry.id}/attach")]:
        page.goto(live_server.url + path)
        check_page(page, name)


def test_upload_with_progress_then_library(page, live_server, world, tmp_path, db_ctx):
    sign_in(page, live_server.url, world.author.email, PASSWORD)
    page.goto(f"{live_server.url}/evidence/upload")
    expect(page.locator("[data-upload-drop-hint]")).to_be_visible()
    notes = tmp_path / "session notes.txt"
    notes.write_bytes(SAMPLES["notes.txt"][0])
    page.set_input_files("input[type=file]", str(notes))
    assert "session notes.txt" in page.locator("[data-upload-chosen]").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="Upload").click()
    expect(page).to_have_url(re.compile(r"/evidence/$"))
    expect(page.locator("body")).to_contain_text("“session notes” uploaded.")


def test_script_upload_shows_errors_in_the_page(page, live_server, world, tmp_path):
    sign_in(page, live_server.url, world.author.email, PASSWORD)
    page.goto(f"{live_server.url}/evidence/upload")
    fake = tmp_path / "report.pdf"
    fake.write_bytes(b"<html><script>x()</script></html>")
    page.set_input_files("input[type=file]", str(fake))
    page.get_by_role("button", name="Upload").click()
    summary = page.locator("[data-upload-errors] .error-summary")
    summary.wait_for()
    assert "“report.pdf”: Web pages" in summary.inner_text()
    check_page(page, "evidence-upload-errors")


def test_upload_without_javascript(browser, live_server, world, tmp_path, db_ctx):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, world.author.email, PASSWORD)
    page.goto(f"{live_server.url}/evidence/upload")
    plan = tmp_path / "plan two.pdf"
    plan.write_bytes(SAMPLES["plan.pdf"][0].replace(b"Session plan", b"Another plan"))
    page.set_input_files("input[type=file]", str(plan))
    page.get_by_role("button", name="Upload").click()
    expect(page).to_have_url(re.compile(r"/evidence/$"))
    expect(page.locator("body")).to_contain_text("“plan two” uploaded.")
    assert db_ctx.query(Evidence).filter_by(title="plan two").count() == 1
    context.close()
