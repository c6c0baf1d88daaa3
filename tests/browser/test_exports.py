"""Reports and exports in a real browser: accessible at desktop and 375px, progress without JS."""

import re
import threading

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, sign_in
from tests.factories import PASSWORD


@pytest.fixture
def export_world(db_ctx):
    from tests.exports.builders import seeded_cohort

    s = seeded_cohort()
    db_ctx.commit()
    return s


@pytest.fixture
def worker(live_app):
    from portfolio.exports.worker import start_background_worker

    stop = threading.Event()
    thread = start_background_worker(live_app, poll_seconds=0.2, stop=stop)
    yield thread
    stop.set()
    thread.join(timeout=30)


def test_reports_pages_are_accessible(page, live_server, export_world):
    s = export_world
    sign_in(page, live_server.url, s.lead.email, PASSWORD)
    page.get_by_role("link", name="Reports").click()
    check_page(page, "exports-index")
    page.get_by_role("link", name="Talent A progress").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Progress: Talent A")
    check_page(page, "exports-progress")
    page.get_by_label("Sort by").select_option("progress")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"sort=progress"))
    page.goto(f"{live_server.url}/exports/my-portfolio")
    check_page(page, "exports-my-portfolio")


def test_archive_progress_updates_with_javascript(page, live_server, export_world, worker):
    s = export_world
    sign_in(page, live_server.url, s.lead.email, PASSWORD)
    page.goto(f"{live_server.url}/exports/cohorts/{s.cohort.id}/progress")
    page.get_by_role("button", name="Make full archive (ZIP)").click()
    expect(page).to_have_url(re.compile(r"/exports/jobs/"))
    page.get_by_role("link", name="Download").wait_for(timeout=60_000)
    check_page(page, "exports-job-done")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename.endswith("archive.zip")


def test_archive_page_refreshes_itself_without_javascript(browser, live_server, export_world,
                                                          worker):
    s = export_world
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, s.author.email, PASSWORD)
    page.goto(f"{live_server.url}/exports/my-portfolio")
    page.get_by_role("button", name="Make a ZIP of my whole portfolio").click()
    page.get_by_text("Your export is ready.").wait_for(timeout=60_000)
    context.close()
