"""The holder's credentials page and downloads, the public page, the key and erasure."""

from __future__ import annotations

import json
import stat

from portfolio.credentials import keys
from portfolio.extensions import db
from tests.credentials.builders import completed_candidate
from tests.factories import make_user


def test_the_holder_sees_my_credentials_and_downloads_both_files(app, client, login):
    s = completed_candidate()
    login(s.candidate)
    home = client.get("/credentials/mine")
    text = home.get_data(as_text=True)
    assert home.status_code == 200 and 'href="/credentials/mine"' in text  # the header link
    assert f"Advanced Coach — Talent ({s.cohort.year.label})" in text
    as_json = client.get(f"/credentials/{s.credential.id}/credential.json")
    assert as_json.mimetype == "application/vc+ld+json"
    assert "attachment" in as_json.headers["Content-Disposition"]
    assert as_json.headers["X-Content-Type-Options"] == "nosniff"
    assert json.loads(as_json.get_data())["id"] == f"urn:uuid:{s.credential.id}"
    badge = client.get(f"/credentials/{s.credential.id}/badge.png")
    assert badge.mimetype == "image/png" and badge.get_data().startswith(b"\x89PNG")
    assert ".png" in badge.headers["Content-Disposition"]


def test_nobody_else_gets_the_holders_page_or_files(app, client, login):
    s = completed_candidate()
    someone = make_user(name="Someone Else")
    db.session.commit()
    login(someone)
    assert 'href="/credentials/mine"' not in client.get("/").get_data(as_text=True)
    for path in ("/credentials/mine", f"/credentials/{s.credential.id}/credential.json",
                 f"/credentials/{s.credential.id}/badge.png"):
        assert client.get(path).status_code == 404, path


def test_the_public_page_needs_no_sign_in_and_checks_the_signature(app, client):
    s = completed_candidate()
    response = client.get(f"/credentials/{s.credential.id}")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Signature valid" in text and "Hana Holder" in text
    assert "Athletics Federation Coach Development" in text
    assert response.headers["Content-Security-Policy"]
    assert client.get("/credentials/00000000-0000-4000-8000-000000000000").status_code == 404


def test_a_changed_stored_document_shows_not_valid(app, client):
    s = completed_candidate()
    s.credential.document = {**s.credential.document, "validFrom": "2020-01-01T00:00:00Z"}
    db.session.commit()
    text = client.get(f"/credentials/{s.credential.id}").get_data(as_text=True)
    assert "Not valid." in text and "Signature valid" not in text


def test_the_key_is_private_to_its_owner_and_published_as_did_and_jwk(app, client):
    completed_candidate()
    path = keys.key_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert str(path).startswith(app.instance_path) and path.name == "issuer-ed25519.pem"
    did = client.get("/.well-known/did.json")
    assert did.headers["Access-Control-Allow-Origin"] == "*"
    document = did.get_json()
    assert document["id"] == "did:web:portfolio.test"
    assert document["assertionMethod"] == ["did:web:portfolio.test#key-1"]
    jwk, = client.get("/.well-known/jwks.json").get_json()["keys"]
    assert (jwk["kty"], jwk["crv"], jwk["kid"]) == ("OKP", "Ed25519", "did:web:portfolio.test#key-1")
    assert "PRIVATE" not in did.get_data(as_text=True) and "d" not in jwk
    assert client.get("/instance/credentials/issuer-ed25519.pem").status_code == 404


def test_a_port_in_base_url_is_written_percent_3a(make_app):
    app = make_app(BASE_URL="http://127.0.0.1:5000")
    with app.app_context():
        assert keys.issuer_did() == "did:web:127.0.0.1%3A5000"


def test_erasure_withdraws_the_credential_and_removes_the_name(app, client):
    from portfolio.privacy.erasure import erase_person

    s = completed_candidate()
    admin = make_user(name="Ada Admin", admin=True)
    erase_person(admin, s.candidate)
    db.session.commit()
    text = client.get(f"/credentials/{s.credential.id}").get_data(as_text=True)
    assert "Revoked on" in text and "Withdrawn at the holder's request." in text.replace(
        "&#39;", "'")
    assert "Hana Holder" not in text
    stored = json.dumps(db.session.get(type(s.credential), s.credential.id).document)
    assert "Hana Holder" not in stored and "sha256$" not in stored
    listed = client.get("/credentials/revocations").get_json()["revokedCredentials"]
    assert [item["id"] for item in listed] == [f"urn:uuid:{s.credential.id}"]
