"""The review page and review badges in a real browser: one vocabulary, previews, versions."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, sign_in
from tests.factories import PASSWORD


@pytest.fixture
def three_competency_request(db_ctx):
    from tests.reviews.builders import scenario_with_entry, submit

    s = scenario_with_entry(codes=("VP1", "VP2", "RP1"))
    s.request = submit(s, codes=("VP1", "VP2", "RP1"))
    db_ctx.commit()
    return s


def test_recorded_decisions_with_a_not_yet_read_the_same_on_request_and_entry(
        page, live_server, three_competency_request):
    s = three_competency_request
    sign_in(page, live_server.url, s.developer.email, PASSWORD)
    page.goto(f"{live_server.url}/reviews/requests/{s.request.id}")
    page.get_by_role("button", name="Start review").click()
    decisions = page.locator(".decision")
    expect(decisions).to_have_count(3)
    decisions.nth(0).get_by_label("Signed off").check()
    decisions.nth(1).get_by_label("Signed off").check()
    decisions.nth(2).get_by_label("Not yet").check()
    decisions.nth(2).get_by_role("textbox").fill("Say how you checked the athletes' response.")
    page.get_by_role("button", name="Record decisions").click()
    expect(page.locator("body")).to_contain_text("Your decisions have been recorded.")
    status = page.locator(".summary-list__row", has_text="Status")
    expect(status).to_contain_text("Reviewed: 2 signed off and 1 not yet")
    check_page(page, "review-request-reviewed")

    page.goto(f"{live_server.url}/portfolio/entries/{s.entry.id}")
    meta = page.locator(".entry-meta")
    expect(meta).to_contain_text("Partly signed off — 1 competency to revisit")
    expect(meta).not_to_contain_text("Returned for revision")
    expect(page.locator("#review")).to_contain_text("Reviewed: 2 signed off and 1 not yet")
    check_page(page, "entry-partly-signed-off")


@pytest.fixture
def request_with_evidence(db_ctx):
    from portfolio.demo.evidence import simple_pdf
    from portfolio.evidence.models import EntryEvidence
    from portfolio.reviews import services
    from tests.evidence.builders import image_bytes, store
    from tests.factories import add_version
    from tests.reviews.builders import scenario_with_entry, submit

    s = scenario_with_entry()
    s.photo = store(s.author, "start.jpg", image_bytes(size=(320, 240)),
                    title="Set position photo")
    s.plan = store(s.author, "plan.pdf", simple_pdf(["Block start session plan", "5 x 20 m"]),
                   title="Session plan")
    for position, item in enumerate((s.photo, s.plan)):
        db_ctx.add(EntryEvidence(entry_id=s.entry.id, evidence_id=item.id, position=position))
    add_version(s.entry)  # version 2 lists the evidence
    s.request = submit(s)
    services.peer_signoff(s.entry, s.peer, s.competencies["VP2"].id, "Saw the cue work.")
    add_version(s.entry)  # version 3, saved after the request
    db_ctx.commit()
    return s


def test_review_page_shows_newer_version_peer_sign_offs_and_previews(
        page, live_server, request_with_evidence):
    s = request_with_evidence
    sign_in(page, live_server.url, s.developer.email, PASSWORD)
    preview_path = f"/reviews/requests/{s.request.id}/evidence/{s.plan.id}/preview"
    with page.expect_response(lambda r: r.url.endswith(preview_path)) as pdf:
        page.goto(f"{live_server.url}/reviews/requests/{s.request.id}")
        page.locator("iframe.review-evidence__pdf").scroll_into_view_if_needed()
    assert pdf.value.status == 200

    notice = page.locator("[data-newer-version]")
    expect(notice).to_contain_text("Version 3 has been saved since this review was asked for.")
    expect(page.locator("#peer-signoffs + .signoff-list")).to_contain_text("Saw the cue work.")

    image = page.get_by_role("img", name="Preview of “Set position photo”")
    expect(image).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())

    # The frame shows the PDF itself, not Chromium's "refused to connect" error page.
    frame = page.frame_locator("iframe.review-evidence__pdf")
    frame.locator(":root").wait_for(state="attached")
    pdf_frame = page.locator("iframe.review-evidence__pdf").element_handle().content_frame()
    assert pdf_frame.url.endswith(preview_path), pdf_frame.url
    assert pdf_frame.evaluate("document.contentType") == "application/pdf"
    expect(page.get_by_role("link", name="download it “Session plan”")).to_be_visible()
    check_page(page, "review-request-previews")

    page.get_by_role("link", name="See what changed from version 2 to version 3").click()
    expect(page).to_have_url(f"{live_server.url}/portfolio/entries/{s.entry.id}/compare/2/3")
