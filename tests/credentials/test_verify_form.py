"""The public checker: a JSON file, a baked PNG or pasted JSON; bad input gets a message."""

from __future__ import annotations

import io
import json
import struct
import zlib

import pytest

from portfolio.credentials.baking import PNG_SIGNATURE, bake
from tests.credentials.builders import completed_candidate


def _post(client, **data):
    files = {name: (io.BytesIO(content), filename)
             for name, (content, filename) in data.pop("files", {}).items()}
    return client.post("/credentials/verify", data={**data, **files},
                       content_type="multipart/form-data")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def _png(width, height, extra=b"") -> bytes:
    """A PNG of `width` × `height` black pixels, compressed (huge sizes stay tiny)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    rows = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    data = b"".join(rows.compress(row) for _ in range(min(height, 20_000))) + rows.flush()
    return (PNG_SIGNATURE + _chunk(b"IHDR", header) + extra + _chunk(b"IDAT", data)
            + _chunk(b"IEND", b""))


def test_a_json_file_a_badge_and_pasted_json_all_verify(app, client):
    s = completed_candidate()
    document = s.credential.document
    text = json.dumps(document)
    badge = bake(document, s.cohort.year.label, s.cohort.pathway.name)
    for answer in (_post(client, files={"upload": (text.encode(), "credential.json")}),
                   _post(client, files={"upload": (badge, "badge.png")}),
                   _post(client, pasted=text)):
        page = answer.get_data(as_text=True)
        assert answer.status_code == 200 and "Signature valid" in page and "Hana Holder" in page


def test_a_revoked_credential_says_so(app, client):
    from portfolio.extensions import db
    from portfolio.reviews import services

    s = completed_candidate()
    services.revoke_completion(s.completion, s.lead, "Recorded in error.")
    db.session.commit()
    page = _post(client, pasted=json.dumps(s.credential.document)).get_data(as_text=True)
    assert "Revoked on" in page and "Recorded in error." in page


def test_a_changed_or_foreign_credential_is_not_valid(app, client):
    s = completed_candidate()
    changed = dict(s.credential.document, name="Advanced Coach — Elite (2030-2031)")
    page = _post(client, pasted=json.dumps(changed)).get_data(as_text=True)
    assert "Not valid." in page and "has been changed" in page
    foreign = dict(s.credential.document)
    foreign["proof"] = dict(foreign["proof"], verificationMethod="did:web:elsewhere.test#key-1")
    page = _post(client, pasted=json.dumps(foreign)).get_data(as_text=True)
    assert "Not valid." in page and "not signed with this federation" in page


def test_a_json_object_without_a_usable_proof_is_checked_and_not_valid(app, client):
    for pasted, problem in (('{"proof": {"type": "DataIntegrityProof"}}', "not a eddsa-jcs"),
                            ('{"name": "Advanced Coach"}', "It has no proof."),
                            ('{"proof": {"type": "DataIntegrityProof", "cryptosuite": '
                             '"eddsa-jcs-2022", "proofPurpose": "assertionMethod", '
                             '"verificationMethod": "did:web:portfolio.test#key-1", '
                             '"proofValue": "z0OIl"}}', "has been changed")):
        response = _post(client, pasted=pasted)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "Not valid." in page and problem in page


@pytest.mark.parametrize(("data", "message"), [
    ({"pasted": "{not json"}, "not valid JSON"),
    ({"pasted": "[1, 2, 3]"}, "a credential is a JSON object"),
    ({"pasted": "[" * 100_000 + "]" * 100_000}, "not valid JSON"),
    ({"pasted": '{"a": NaN}'}, "not valid JSON"),
    ({"pasted": '{"proof": 1, "n": 1' + "0" * 5000 + "}"}, "not valid JSON"),
    ({}, "Choose a credential file or paste"),
    ({"files": {"upload": (b"\xff\xfe\x00garbage", "x.json")}}, "neither a credential"),
    ({"files": {"upload": (_png(4, 4), "plain.png")}}, "does not carry an Open Badges"),
    ({"files": {"upload": (PNG_SIGNATURE + b"\x00\x00", "cut.png")}}, "does not carry"),
])
def test_bad_input_gets_a_message_not_an_error_page(app, client, data, message):
    response = _post(client, **data)
    assert response.status_code == 400, response.status_code
    page = response.get_data(as_text=True)
    assert message in page.replace("&#34;", '"')
    assert "There is a problem" in page


def test_a_png_bomb_is_never_decoded(app, client):
    """50,000 × 50,000 pixels (2.5 gigapixels, past Pillow's limit) in about 120 KB."""
    from PIL import Image

    from portfolio.credentials.forms import MAX_CREDENTIAL_BYTES

    bomb = _png(50_000, 50_000)
    assert len(bomb) < MAX_CREDENTIAL_BYTES
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(bomb))
    response = _post(client, files={"upload": (bomb, "bomb.png")})
    assert response.status_code == 400
    assert "does not carry an Open Badges credential" in response.get_data(as_text=True)
    s = completed_candidate()
    text = json.dumps(s.credential.document).encode()
    carrying = _png(50_000, 50_000, _chunk(b"iTXt", b"openbadgecredential\x00\x00\x00\x00\x00"
                                           + text))
    page = _post(client, files={"upload": (carrying, "bomb.png")}).get_data(as_text=True)
    assert "Signature valid" in page


def test_a_compressed_chunk_that_inflates_too_far_is_refused(app, client):
    keyword = b"openbadgecredential\x00\x01\x00\x00\x00"
    inflating = zlib.compress(b" " * 20_000_000, 9)  # 20 MB of spaces in ~20 KB
    response = _post(client, files={"upload": (_png(4, 4, _chunk(b"iTXt", keyword + inflating)),
                                               "inflating.png")})
    assert response.status_code == 400
    assert "too large" in response.get_data(as_text=True)


def test_a_huge_upload_gets_the_form_back_with_a_message(app, client):
    response = _post(client, files={"upload": (b"{" + b" " * 3_000_000 + b"}", "huge.json")})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "larger than any credential this site issues" in page
    assert "Check a completion credential" in page


def test_the_form_needs_its_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        response = app.test_client().post("/credentials/verify", data={"pasted": "{}"})
        assert response.status_code == 400
        assert "Signature valid" not in response.get_data(as_text=True)
