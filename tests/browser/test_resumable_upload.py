"""On a phone: the camera choices, and a large upload that survives a dropped connection and a
reload, arriving intact (its sha256 matches the file chosen)."""

from __future__ import annotations

import hashlib
import os
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portfolio.evidence.models import Evidence
from tests.browser.conftest import PHONE
from tests.browser.helpers import check_page, sign_in
from tests.evidence.builders import pdf_bytes
from tests.factories import PASSWORD, make_scenario

PIECE = 256 * 1024


@pytest.fixture
def world(db_ctx, live_app):
    live_app.config.update(UPLOAD_RESUMABLE_FROM_BYTES=1024 * 1024, UPLOAD_PIECE_BYTES=PIECE)
    s = make_scenario()
    db_ctx.commit()
    return s


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True,
                                  locale="en-GB", timezone_id="Europe/London")
    yield context.new_page()
    context.close()


@pytest.fixture
def big_file(tmp_path):
    data = pdf_bytes("Long jump video notes") + b"\n%" + os.urandom(1536 * 1024).hex().encode()
    path = tmp_path / "long jump notes.pdf"
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


class Network:
    """Drops every request to the upload sessions after `allowed` pieces, until restored."""

    def __init__(self, page, allowed: int):
        self.allowed, self.pieces, self.down, self.offsets = allowed, 0, False, []
        page.route(re.compile(r"/evidence/uploads/[^/]+$"), self.handle)

    def handle(self, route):
        request = route.request
        if request.method == "PATCH" and not self.down:
            self.pieces += 1
            self.offsets.append(int(request.headers["upload-offset"]))
            self.down = self.pieces > self.allowed
        if self.down:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    def restore(self):
        self.allowed, self.down = float("inf"), False


def stored_sha256(db_ctx):
    db_ctx.expire_all()
    return db_ctx.scalars(select(Evidence.sha256)).all()


def test_camera_choices_on_a_phone_are_labelled_and_accessible(phone, live_server, world):
    sign_in(phone, live_server.url, world.author.email, PASSWORD)
    phone.goto(f"{live_server.url}/evidence/upload")
    photo = phone.get_by_label("Take a photo")
    expect(photo).to_have_attribute("capture", "environment")
    expect(photo).to_have_attribute("accept", "image/*")
    expect(phone.get_by_label("Record a video")).to_have_attribute("accept", "video/*")
    expect(phone.get_by_label("Choose files")).to_be_visible()  # the plain picker stays
    photo.focus()
    expect(photo).to_be_focused()
    check_page(phone, "evidence-upload-phone-camera")


def test_an_interrupted_upload_resumes_when_the_network_returns(
        phone, live_server, world, big_file, db_ctx):
    path, sha256 = big_file
    sign_in(phone, live_server.url, world.author.email, PASSWORD)
    phone.goto(f"{live_server.url}/evidence/upload")
    network = Network(phone, allowed=3)
    phone.get_by_label("Choose files").set_input_files(str(path))
    phone.get_by_role("button", name="Upload").click()
    progress = phone.locator("[data-upload-progress]")
    expect(progress).to_have_attribute("data-state", "resuming", timeout=30_000)
    expect(phone.locator("[data-upload-status]")).to_contain_text("resuming")
    assert stored_sha256(db_ctx) == []
    network.restore()
    expect(phone).to_have_url(re.compile(r"/evidence/$"), timeout=60_000)
    expect(phone.locator("body")).to_contain_text("“long jump notes” uploaded.")
    assert stored_sha256(db_ctx) == [sha256]
    # It carried on from where it stopped: no piece was sent twice from the start.
    assert network.offsets[:4] == [0, PIECE, 2 * PIECE, 3 * PIECE]
    assert network.offsets.count(0) == 1


def test_after_a_reload_the_same_file_carries_on_where_it_stopped(
        phone, live_server, world, big_file, db_ctx):
    path, sha256 = big_file
    sign_in(phone, live_server.url, world.author.email, PASSWORD)
    phone.goto(f"{live_server.url}/evidence/upload")
    dropped = Network(phone, allowed=2)
    phone.get_by_label("Choose files").set_input_files(str(path))
    phone.get_by_role("button", name="Upload").click()
    expect(phone.locator("[data-upload-progress]")).to_have_attribute("data-state", "resuming",
                                                                      timeout=30_000)
    assert dropped.offsets == [0, PIECE, 2 * PIECE]  # the third piece never arrived
    phone.unroute(re.compile(r"/evidence/uploads/[^/]+$"))
    phone.reload()
    expect(phone.locator("[data-upload-resume-notice]")).to_contain_text("long jump notes.pdf")
    resumed = Network(phone, allowed=1000)
    phone.get_by_label("Choose files").set_input_files(str(path))
    phone.get_by_role("button", name="Upload").click()
    expect(phone).to_have_url(re.compile(r"/evidence/$"), timeout=60_000)
    assert stored_sha256(db_ctx) == [sha256]
    assert resumed.offsets[0] == 2 * PIECE  # nothing already received was sent again
