"""Completion credentials in a real browser: the holder's downloads, the public page, the
checker and the lead's revocation form, each accessible at 375 and 1280 px."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portfolio.credentials.baking import unbake
from tests.browser.helpers import check_page, sign_in
from tests.credentials.builders import completed_candidate
from tests.credentials.independent_verifier import did_web_url, fetch_json, verify
from tests.factories import PASSWORD


@pytest.fixture
def world(db_ctx, live_server):
    s = completed_candidate()
    db_ctx.commit()
    return s


def test_the_holder_downloads_a_badge_and_json_that_verify_independently(
        page, live_server, world):
    sign_in(page, live_server.url, world.candidate.email, PASSWORD)
    page.get_by_role("link", name="My credentials").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "My credentials"
    check_page(page, "credentials-mine")
    with page.expect_download() as badge:
        page.get_by_role("link", name="Download the badge (PNG)").click()
    with page.expect_download() as document:
        page.get_by_role("link", name="Download the credential (JSON)").click()
    assert badge.value.suggested_filename.endswith(".png")
    credential = json.loads(Path(document.value.path()).read_text(encoding="utf-8"))
    baked = json.loads(unbake(Path(badge.value.path()).read_bytes(), 1_000_000))
    assert baked == credential
    # did:web resolution as any verifier does it: the issuer's id names the DID document.
    did_document = fetch_json(did_web_url(credential["issuer"]["id"]))
    verify(credential, did_document)
    verify(baked, did_document)


def test_anyone_opens_the_public_page_and_checks_a_file(browser, live_server, world, tmp_path):
    context = browser.new_context()  # nobody signed in
    page = context.new_page()
    page.goto(f"{live_server.url}/credentials/{world.credential.id}")
    assert "Signature valid" in page.locator("#verdict").inner_text()
    assert "Hana Holder" in page.locator(".summary-list").inner_text()
    check_page(page, "credentials-public")
    page.get_by_role("link", name="check a credential file").click()
    check_page(page, "credentials-verify")
    page.get_by_role("button", name="Check credential").click()
    assert "Choose a credential file or paste" in page.locator(".error-summary").inner_text()
    check_page(page, "credentials-verify-errors")
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(world.credential.document), encoding="utf-8")
    page.get_by_label("Credential file (optional)").set_input_files(str(path))
    page.get_by_role("button", name="Check credential").click()
    assert "Signature valid" in page.locator("#verdict").inner_text()
    check_page(page, "credentials-verify-result")
    context.close()


def test_a_lead_revokes_the_completion_and_the_public_page_says_so(page, live_server, world):
    sign_in(page, live_server.url, world.lead.email, PASSWORD)
    page.goto(f"{live_server.url}/reviews/cohorts/{world.cohort.id}"
              f"/candidates/{world.candidate.id}")
    check_page(page, "credentials-revoke-form")
    page.get_by_role("button", name="Revoke completion").click()
    assert "Give the reason" in page.locator(".error-summary").inner_text()
    check_page(page, "credentials-revoke-errors")
    page.get_by_label("Reason for revoking the completion").fill("Recorded in error.")
    page.get_by_role("button", name="Revoke completion").click()
    assert "Completion revoked." in page.content()
    page.goto(f"{live_server.url}/credentials/{world.credential.id}")
    verdict = page.locator("#verdict").inner_text()
    assert "Revoked on" in verdict and "Recorded in error." in verdict
