"""The disk fills up while a file is uploaded: no row, no partial file, a clear message."""

from __future__ import annotations

import errno
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portfolio import storage
from portfolio.evidence import images
from portfolio.evidence.models import Evidence
from portfolio.extensions import db
from tests.evidence.builders import files_on_disk, image_bytes, pdf_bytes
from tests.factories import make_scenario, sign_in

FULL = "The server has run out of space to store files"


@pytest.fixture
def world(app):
    s = make_scenario()
    db.session.commit()
    return s


class _FillsUp:
    """A staged file that accepts `room` bytes and then reports a full disk, as write() does."""

    def __init__(self, real, room):
        self.real, self.room = real, room

    def write(self, data):
        if self.room < len(data):
            self.real.write(data[: self.room])  # a partial file really is on disk
            self.room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.real.write(data)

    def __getattr__(self, name):
        return getattr(self.real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self.real.__exit__(*exc)


@pytest.fixture
def disk_fills_after(monkeypatch):
    """Make every file the store writes fail with ENOSPC after `room` bytes."""
    real_open = Path.open

    def install(room: int):
        def open_(path, mode="r", *args, **kwargs):
            handle = real_open(path, mode, *args, **kwargs)
            writing = ("x" in mode or "w" in mode) and storage.STAGING in path.parts
            return _FillsUp(handle, room) if writing else handle

        monkeypatch.setattr(Path, "open", open_)
    return install


def _count():
    return db.session.scalar(select(func.count()).select_from(Evidence))


def _post(client, name, data, **headers):
    return client.post("/evidence/upload", data={"files": [(io.BytesIO(data), name)]},
                       content_type="multipart/form-data", headers=headers)


def test_disk_full_mid_upload_keeps_nothing_and_says_why(app, client, world, disk_fills_after):
    disk_fills_after(100)
    sign_in(client, world.author)
    response = _post(client, "plan.pdf", pdf_bytes("x" * 5000))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert FULL in body
    assert _count() == 0
    assert files_on_disk() == []


def test_disk_full_while_making_the_thumbnail(app, client, world, monkeypatch):
    def no_room(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(images, "reencode", no_room)
    sign_in(client, world.author)
    response = _post(client, "photo.jpg", image_bytes(), Accept="application/json")
    assert response.status_code == 422
    assert any(FULL in error for error in response.get_json()["errors"])
    assert _count() == 0
    assert files_on_disk() == []


def test_other_files_in_the_same_upload_still_go_in_once_space_returns(app, client, world,
                                                                       disk_fills_after):
    sign_in(client, world.author)
    disk_fills_after(10)
    assert FULL in _post(client, "plan.pdf", pdf_bytes()).get_data(as_text=True)
    disk_fills_after(10**9)
    response = _post(client, "plan.pdf", pdf_bytes())
    assert response.status_code == 302
    assert _count() == 1
    assert len(files_on_disk()) == 1
