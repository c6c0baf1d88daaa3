"""Really overlapping pieces of one resumable upload: the database lets exactly one in."""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from portfolio.evidence.models import Evidence
from portfolio.extensions import db
from tests.evidence.builders import pdf_bytes
from tests.factories import csrf_token_from, make_scenario
from tests.live import TIMEOUT_SECONDS, together

TUS = {"Tus-Resumable": "1.0.0"}


@pytest.fixture
def world(app):
    s = make_scenario()
    db.session.commit()
    return s


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def call(site, browser, method, path, body=b"", headers=None):
    parts = urlsplit(site.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT_SECONDS)
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    try:
        connection.request(method, path, body=body, headers={**TUS, "Cookie": cookie,
                                                             **(headers or {})})
        response = connection.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.headers.items()}
    finally:
        connection.close()


def big_pdf() -> bytes:
    # Random bytes in a PDF comment: large enough that both pieces are still arriving together.
    return pdf_bytes("Race") + b"\n%" + os.urandom(2 * 1024 * 1024).hex().encode() + b"\n"


def test_two_pieces_for_the_same_offset_at_once_one_wins_and_the_file_is_intact(
        live_site, world):
    data = big_pdf()
    browser = live_site.browser_for(world.author)
    status, headers = call(live_site, browser, "POST", "/evidence/uploads", headers={
        "Upload-Length": str(len(data)),
        "Upload-Metadata": f"filename {b64('race.pdf')},sha256 "
                           f"{b64(hashlib.sha256(data).hexdigest())}"})
    assert status == 201
    url = headers["location"]
    half = len(data) // 2
    piece = {"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream",
             "Upload-Checksum": "sha256 " + base64.b64encode(
                 hashlib.sha256(data[:half]).digest()).decode()}

    results = together(2, lambda n: call(live_site, browser, "PATCH", url, data[:half], piece))
    statuses = sorted(result[0] for result in results)
    assert statuses == [204, 409], results
    status, headers = call(live_site, browser, "HEAD", url)
    assert headers["upload-offset"] == str(half)

    status, _ = call(live_site, browser, "PATCH", url, data[half:], {
        "Upload-Offset": str(half), "Content-Type": "application/offset+octet-stream"})
    assert status == 200
    db.session.expire_all()
    stored = db.session.scalars(select(Evidence)).all()
    assert [item.sha256 for item in stored] == [hashlib.sha256(data).hexdigest()]


def test_the_token_travels_in_a_header_and_is_required(world_on_csrf_app):
    app, client, user = world_on_csrf_app
    page = client.get("/evidence/upload").get_data(as_text=True)
    data = pdf_bytes()
    headers = {**TUS, "Upload-Length": str(len(data)),
               "Upload-Metadata": f"filename {b64('plan.pdf')},sha256 "
                                  f"{b64(hashlib.sha256(data).hexdigest())}"}
    assert client.post("/evidence/uploads", headers=headers).status_code == 400
    answer = client.post("/evidence/uploads",
                         headers={**headers, "X-CSRFToken": csrf_token_from(page)})
    assert answer.status_code == 201
    url = answer.headers["Location"]
    piece = {**TUS, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}
    assert client.patch(url, data=data, headers=piece).status_code == 400
    assert client.head(url, headers=TUS).headers["Upload-Offset"] == "0"
    assert client.patch(url, data=data, headers={
        **piece, "X-CSRFToken": csrf_token_from(page)}).status_code == 200


@pytest.fixture
def world_on_csrf_app(make_app):
    from tests.factories import sign_in

    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        s = make_scenario()
        db.session.commit()
        client = app.test_client()
        sign_in(client, s.author)
        yield app, client, s.author
        db.session.rollback()


def test_a_connection_dropped_mid_piece_keeps_what_arrived(live_site, world):
    import socket
    import time

    data = big_pdf()
    browser = live_site.browser_for(world.author)
    status, headers = call(live_site, browser, "POST", "/evidence/uploads", headers={
        "Upload-Length": str(len(data)),
        "Upload-Metadata": f"filename {b64('cut.pdf')},sha256 "
                           f"{b64(hashlib.sha256(data).hexdigest())}"})
    url = headers["location"]
    parts = urlsplit(live_site.url)
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    arrived = 1024 * 1024
    with socket.create_connection((parts.hostname, parts.port), timeout=TIMEOUT_SECONDS) as raw:
        raw.sendall((f"PATCH {url} HTTP/1.1\r\nHost: {parts.hostname}\r\nCookie: {cookie}\r\n"
                     f"Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
                     f"Content-Type: application/offset+octet-stream\r\n"
                     f"Content-Length: {len(data)}\r\n\r\n").encode() + data[:arrived])
    # The server notices the closed connection by itself; ask until it has recorded the piece.
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while True:
        status, headers = call(live_site, browser, "HEAD", url)
        if headers.get("upload-offset") != "0" or time.monotonic() > deadline:
            break
    assert status == 200 and headers["upload-offset"] == str(arrived)
    status, _ = call(live_site, browser, "PATCH", url, data[arrived:], {
        "Upload-Offset": str(arrived), "Content-Type": "application/offset+octet-stream"})
    assert status == 200
    db.session.expire_all()
    assert db.session.scalars(select(Evidence.sha256)).all() == [hashlib.sha256(data).hexdigest()]
