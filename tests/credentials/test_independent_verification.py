"""A credential verifies with an independent verifier and fails after any one byte changes."""

from __future__ import annotations

import io
import json
import string

import pytest
from PIL import Image

from portfolio.credentials.baking import KEYWORD, unbake
from tests.credentials import independent_verifier
from tests.credentials.builders import completed_candidate
from tests.credentials.independent_verifier import NotVerified, verify

SAME_KIND = [string.ascii_lowercase, string.ascii_uppercase, string.digits]


def _did_document(client) -> dict:
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200 and response.mimetype == "application/did+json"
    return response.get_json()


def _download(client, login, s, name) -> bytes:
    login(s.candidate)
    response = client.get(f"/credentials/{s.credential.id}/{name}")
    assert response.status_code == 200
    return response.get_data()


def test_a_freshly_issued_credential_verifies_independently(app, client, login):
    s = completed_candidate()
    credential = json.loads(_download(client, login, s, "credential.json"))
    verify(credential, _did_document(client))  # raises NotVerified if not
    assert credential["credentialSubject"]["achievement"]["name"].startswith("Advanced Coach — ")
    assert credential["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert _did_document(client)["verificationMethod"][0]["publicKeyMultibase"].startswith("z6Mk")


def _one_byte_changes(text: str):
    """Every variant of `text` with one letter or digit replaced by another of its kind."""
    for position, character in enumerate(text):
        kind = next((chars for chars in SAME_KIND if character in chars), None)
        if kind is not None:
            replacement = kind[(kind.index(character) + 1) % len(kind)]
            yield position, text[:position] + replacement + text[position + 1:]


def test_changing_any_one_byte_fails_verification(app, client, login):
    s = completed_candidate()
    text = _download(client, login, s, "credential.json").decode()
    original, did_document = json.loads(text), _did_document(client)
    checked = 0
    for position, changed in _one_byte_changes(text):
        try:
            document = json.loads(changed)
        except ValueError:
            continue  # e.g. "true" became "trve": no longer JSON at all
        if document == original:
            continue
        with pytest.raises(NotVerified):
            verify(document, did_document)
        checked += 1
    assert checked > 1_000, "every letter and digit of the credential was tried"


@pytest.mark.parametrize(("where", "old", "new"), [
    ("a character of the holder's name", "Hana Holder", "Hana Holdar"),
    ("the date it is valid from", '"validFrom": "20', '"validFrom": "21'),
    ("the proof value", '"proofValue": "z', '"proofValue": "z2'),
])
def test_named_one_byte_changes_fail_with_both_verifiers(app, client, login, where, old, new):
    from portfolio.credentials.services import check

    s = completed_candidate()
    text = _download(client, login, s, "credential.json").decode()
    assert text.count(old) == 1, where
    changed = json.loads(text.replace(old, new))
    with pytest.raises(NotVerified):
        verify(changed, _did_document(client))
    assert check(changed).state == "invalid"
    assert check(json.loads(text)).state == "valid"


def test_a_baked_badge_carries_a_credential_that_verifies(app, client, login):
    s = completed_candidate()
    png = _download(client, login, s, "badge.png")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (600, 600)
    image.load()
    credential = json.loads(image.text[KEYWORD])  # Pillow reads the iTXt chunk too
    assert credential == json.loads(unbake(png, 1_000_000))
    assert credential["id"] == f"urn:uuid:{s.credential.id}"
    verify(credential, _did_document(client))


def test_the_script_fetches_the_key_from_a_running_site(app, live_site, tmp_path, capsys):
    s = completed_candidate()
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(s.credential.document), encoding="utf-8")
    did_url = f"{live_site.url}/.well-known/did.json"
    assert independent_verifier.main([str(path), "--did-document", did_url]) == 0
    assert "VERIFIED" in capsys.readouterr().out
    forged = dict(s.credential.document, validFrom="2020-01-01T00:00:00Z")
    path.write_text(json.dumps(forged), encoding="utf-8")
    assert independent_verifier.main([str(path), "--did-document", did_url]) == 1
    assert "NOT VERIFIED" in capsys.readouterr().out


def test_a_signature_starting_with_a_zero_byte_verifies(app):
    """base58btc writes a leading zero byte as '1': one signature in 256 starts with one."""
    import base58
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from portfolio.credentials import keys, signing

    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes_raw()
    did = "did:web:portfolio.test"
    did_document = {"id": did, "assertionMethod": [f"{did}#key-1"], "verificationMethod": [
        {"id": f"{did}#key-1", "type": "Multikey", "publicKeyMultibase":
         keys.public_key_multibase(raw)}]}
    for number in range(5_000):
        document = signing.sign({"issuer": {"id": did}, "name": f"Try {number}"}, key,
                                f"{did}#key-1", "2026-12-01T00:00:00Z")
        if document["proof"]["proofValue"].startswith("z1"):
            break
    assert base58.b58decode(document["proof"]["proofValue"][1:])[0] == 0
    verify(document, did_document)
    assert signing.verify(document, {f"{did}#key-1": key.public_key()})
