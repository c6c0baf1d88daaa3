"""The portfolio's web-page export in a real browser: it opens as a page under the site's CSP,
styled and with its pictures, offers a separate download of the file, and passes axe."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.helpers import check_page, sign_in
from tests.factories import PASSWORD


@pytest.fixture
def page_world(db_ctx):
    from tests.exports.builders import make_file_evidence, seeded_cohort
    from tests.factories import make_entry

    s = seeded_cohort()
    out = io.BytesIO()
    Image.new("RGB", (640, 400), (40, 120, 60)).save(out, format="PNG")
    track = make_file_evidence(s.author, "Lane six start.png", out.getvalue(),
                               media_type="image/png")
    make_entry(s.author, cohort=s.cohort, privacy="developers", title="Lane drills",
               evidence=[track])
    db_ctx.commit()
    return s


def test_web_page_export_opens_as_a_page_with_a_separate_download(page, live_server,
                                                                  page_world):
    s = page_world
    csp_violations = []
    page.on("console", lambda message: csp_violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    sign_in(page, live_server.url, s.author.email, PASSWORD)
    page.goto(f"{live_server.url}/exports/my-portfolio")
    page.get_by_role("link", name="web page for Talent A").click()
    expect(page).to_have_url(f"{live_server.url}/exports/candidates/"
                             f"{s.author_membership.id}/portfolio")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aisha Author")
    expect(page.get_by_role("heading", name="Entry 1: Block starts with under-17s")).to_be_visible()
    picture = page.get_by_role("img", name="Picture: Lane six start.png")
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.complete && img.naturalWidth > 0")
    # The linked stylesheet applied (the CSP would have refused an inline one).
    expect(page.locator(".cover")).to_have_css("border-bottom-style", "solid")
    assert csp_violations == []
    check_page(page, "exports-portfolio-page")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download this web page").click()
    assert download.value.suggested_filename.startswith("Aisha Author portfolio ")
    assert download.value.suggested_filename.endswith(".html")
    saved = download.value.path().read_text(encoding="utf-8")
    assert "Block starts with under-17s" in saved and "<style>" in saved
    expect(page).to_have_url(f"{live_server.url}/exports/candidates/"
                             f"{s.author_membership.id}/portfolio")
    expect(page.get_by_role("link", name="Download as PDF")).to_have_attribute(
        "href", f"/exports/candidates/{s.author_membership.id}/portfolio.pdf")
