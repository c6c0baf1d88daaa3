"""Personal data pages in a real browser: accessible, the download works, erasure confirms."""

from __future__ import annotations

import json
import zipfile

import pytest

from tests.browser.helpers import check_page, sign_in
from tests.factories import PASSWORD, make_scenario


@pytest.fixture
def world(db_ctx):
    s = make_scenario()
    db_ctx.commit()
    return s


def test_a_candidate_downloads_their_data(page, live_server, world):
    sign_in(page, live_server.url, world.author.email, PASSWORD)
    page.goto(f"{live_server.url}/account/settings")
    page.get_by_role("link", name="Download all your personal data").click()
    check_page(page, "privacy-my-data")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download all my data").click()
    archive = zipfile.ZipFile(info.value.path())
    document = json.loads(archive.read("personal-data.json"))
    assert document["account"]["email"] == world.author.email


def test_an_admin_erases_a_person_after_confirming(page, live_server, world):
    sign_in(page, live_server.url, world.admin.email, PASSWORD)
    page.goto(f"{live_server.url}/admin/users/{world.outsider.id}")
    page.get_by_role("link", name="Erase this person").click()
    check_page(page, "privacy-erase")
    page.get_by_role("button", name="Erase this person").click()
    check_page(page, "privacy-erase-errors")
    page.get_by_label("Type the person's email address to confirm").fill(world.outsider.email)
    page.get_by_role("button", name="Erase this person").click()
    assert page.get_by_role("heading", level=1).inner_text() == \
        f"Former member #{world.outsider.id}"
