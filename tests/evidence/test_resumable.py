"""Resumable uploads (tus 1.0): pieces, offsets, owners, checksums, and the same checks as a
form upload on the assembled file."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portfolio.database import utcnow
from portfolio.evidence import resumable
from portfolio.evidence.models import Evidence
from portfolio.evidence.resumable import UploadSession
from portfolio.extensions import db
from tests.evidence.builders import SAMPLES, files_on_disk, image_bytes, pdf_bytes
from tests.factories import make_scenario

TUS = {"Tus-Resumable": "1.0.0"}
PIECE = "application/offset+octet-stream"


@pytest.fixture
def world(app):
    s = make_scenario()
    db.session.commit()
    return s


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def create(client, data: bytes, name="plan.pdf", sha256=None, size=None, extra=""):
    digest = sha256 or hashlib.sha256(data).hexdigest()
    metadata = f"filename {b64(name)},sha256 {b64(digest)}" + extra
    return client.post("/evidence/uploads", headers={
        **TUS, "Upload-Length": str(len(data) if size is None else size),
        "Upload-Metadata": metadata})


def send(client, url, piece: bytes, offset: int, checksum: bytes | None = None):
    headers = {**TUS, "Upload-Offset": str(offset), "Content-Type": PIECE}
    if checksum is not None:
        headers["Upload-Checksum"] = "sha256 " + base64.b64encode(checksum).decode()
    return client.patch(url, data=piece, headers=headers)


def upload_in_pieces(client, data: bytes, name="plan.pdf", piece=1000):
    created = create(client, data, name)
    assert created.status_code == 201, created.get_data(as_text=True)
    url = created.headers["Location"]
    offset, answer = 0, None
    while offset < len(data):
        chunk = data[offset:offset + piece]
        answer = send(client, url, chunk, offset, hashlib.sha256(chunk).digest())
        offset += len(chunk)
        if offset < len(data):
            assert answer.status_code == 204, answer.get_data(as_text=True)
            assert answer.headers["Upload-Offset"] == str(offset)
    return url, answer


def sessions() -> int:
    return db.session.scalar(select(func.count(UploadSession.id)))


def partial_files(app) -> list:
    return sorted(resumable_folder(app).glob("*.part"))


def resumable_folder(app):
    from pathlib import Path

    return Path(app.instance_path) / "partial-uploads"


def test_discovery_names_the_protocol_and_its_extensions(client, login, world):
    login(world.author)
    answer = client.options("/evidence/uploads")
    assert answer.status_code == 204
    assert answer.headers["Tus-Version"] == "1.0.0"
    assert "checksum" in answer.headers["Tus-Extension"]
    assert answer.headers["Tus-Checksum-Algorithm"] == "sha256"


def test_a_file_sent_in_pieces_becomes_evidence_like_a_form_upload(app, client, login, world):
    login(world.author)
    data = pdf_bytes("Session plan " + "x" * 3000)
    url, answer = upload_in_pieces(client, data)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["errors"] == [] and body["redirect"] == "/evidence/"
    evidence = db.session.get(Evidence, body["uploaded"][0]["id"])
    assert evidence.owner_id == world.author.id
    assert evidence.media_type == "application/pdf"
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.size_bytes == len(data)
    assert sessions() == 0 and partial_files(app) == []
    # The library says it arrived, as after a form upload.
    assert "“plan” uploaded." in client.get("/evidence/").get_data(as_text=True)
    assert client.head(url, headers=TUS).status_code == 404


def test_head_tells_where_an_interrupted_upload_stands(client, login, world):
    login(world.author)
    data = pdf_bytes("x" * 5000)
    url = create(client, data).headers["Location"]
    assert send(client, url, data[:2000], 0).status_code == 204
    answer = client.head(url, headers=TUS)
    assert answer.status_code == 200
    assert answer.headers["Upload-Offset"] == "2000"
    assert answer.headers["Upload-Length"] == str(len(data))
    assert answer.headers["Cache-Control"] == "no-store"
    assert send(client, url, data[2000:], 2000).status_code == 200
    assert db.session.scalar(select(Evidence.sha256)) == hashlib.sha256(data).hexdigest()


def test_a_piece_at_the_wrong_offset_is_refused_with_the_right_one(client, login, world):
    login(world.author)
    data = pdf_bytes("x" * 5000)
    url = create(client, data).headers["Location"]
    send(client, url, data[:1000], 0)
    for wrong in (0, 500, 1500):
        answer = send(client, url, data[wrong:wrong + 100], wrong)
        assert answer.status_code == 409
        assert answer.headers["Upload-Offset"] == "1000"
    assert client.head(url, headers=TUS).headers["Upload-Offset"] == "1000"


def test_a_damaged_piece_is_refused_and_nothing_of_it_counts(client, login, world):
    login(world.author)
    data = pdf_bytes("x" * 5000)
    url = create(client, data).headers["Location"]
    answer = send(client, url, data[:1000], 0, hashlib.sha256(b"other bytes").digest())
    assert answer.status_code == 460
    assert client.head(url, headers=TUS).headers["Upload-Offset"] == "0"
    assert send(client, url, data, 0, hashlib.sha256(data).digest()).status_code == 200


@pytest.mark.parametrize("headers, status", [
    ({"Tus-Resumable": "0.2.2", "Upload-Offset": "0", "Content-Type": PIECE}, 412),
    ({**TUS, "Upload-Offset": "0", "Content-Type": "application/octet-stream"}, 415),
    ({**TUS, "Content-Type": PIECE}, 400),
    ({**TUS, "Upload-Offset": "-1", "Content-Type": PIECE}, 400),
    ({**TUS, "Upload-Offset": "0", "Content-Type": PIECE, "Upload-Checksum": "md5 AAAA"}, 400),
])
def test_malformed_pieces_are_refused(client, login, world, headers, status):
    login(world.author)
    data = pdf_bytes()
    url = create(client, data).headers["Location"]
    assert client.patch(url, data=data, headers=headers).status_code == status
    assert client.head(url, headers=TUS).headers["Upload-Offset"] == "0"


def test_a_session_is_its_owners_alone(client, login, world):
    login(world.author)
    data = pdf_bytes("x" * 3000)
    url = create(client, data).headers["Location"]
    send(client, url, data[:1000], 0)
    for other in (world.peer, world.developer, world.admin):
        login(other)
        assert client.head(url, headers=TUS).status_code == 404
        assert send(client, url, data[1000:], 1000).status_code == 404
        assert client.delete(url, headers=TUS).status_code == 404
    login(world.author)
    assert client.head(url, headers=TUS).headers["Upload-Offset"] == "1000"


def test_anonymous_is_sent_to_sign_in(client, world):
    assert client.post("/evidence/uploads", headers=TUS).status_code == 302


def test_cancelling_removes_the_session_and_its_partial_file(app, client, login, world):
    login(world.author)
    data = pdf_bytes("x" * 3000)
    url = create(client, data).headers["Location"]
    send(client, url, data[:1000], 0)
    assert len(partial_files(app)) == 1
    assert client.delete(url, headers=TUS).status_code == 204
    assert sessions() == 0 and partial_files(app) == []


def test_checksum_mismatch_of_the_whole_file_is_refused_and_deleted(app, client, login, world):
    login(world.author)
    data = pdf_bytes("x" * 3000)
    url = create(client, data, sha256=hashlib.sha256(b"another file").hexdigest())
    answer = send(client, url.headers["Location"], data, 0)
    assert answer.status_code == 422
    assert "checksum differs" in answer.get_json()["errors"][0]
    assert db.session.scalar(select(func.count(Evidence.id))) == 0
    assert sessions() == 0 and partial_files(app) == [] and files_on_disk() == []


@pytest.mark.parametrize("name, data, message", [
    ("report.pdf", b"<!doctype html><html><script>x()</script></html>", "markup"),
    ("x.jpg.php", image_bytes("JPEG"), "its name ends in .php"),
    ("program.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 10, "cannot be uploaded"),
])
def test_the_assembled_file_meets_the_same_type_checks(app, client, login, world, name, data,
                                                       message):
    login(world.author)
    answer = create(client, data, name)
    if answer.status_code == 422:  # the name alone was enough to refuse it
        assert message in answer.get_json()["error"]
        return
    answer = send(client, answer.headers["Location"], data, 0)
    assert answer.status_code == 422
    assert message in answer.get_json()["errors"][0]
    assert db.session.scalar(select(func.count(Evidence.id))) == 0
    assert sessions() == 0 and partial_files(app) == [] and files_on_disk() == []


def test_photos_are_re_encoded_like_a_form_upload(client, login, world):
    from tests.evidence.builders import exif_with_gps_and_orientation

    login(world.author)
    data = image_bytes("JPEG", size=(300, 200), exif=exif_with_gps_and_orientation())
    url, answer = upload_in_pieces(client, data, "track.jpg", piece=4096)
    evidence = db.session.get(Evidence, answer.get_json()["uploaded"][0]["id"])
    assert evidence.category == "image" and evidence.has_thumbnail
    assert (evidence.width, evidence.height) == (200, 300)  # turned upright, EXIF gone


def test_size_and_quota_are_checked_before_any_byte(app, client, login, world):
    login(world.author)
    app.config["UPLOAD_MAX_FILE_BYTES"] = 10_000
    assert create(client, b"x", size=10_001).status_code == 413
    app.config["UPLOAD_MAX_FILE_BYTES"] = 200 * 1024 * 1024
    app.config["UPLOAD_MAX_CANDIDATE_BYTES"] = 5_000
    answer = create(client, b"x", size=6_000)
    assert answer.status_code == 422 and "library is full" in answer.get_json()["error"]
    assert create(client, b"", size=0).status_code == 422
    assert sessions() == 0


def test_the_limit_applies_to_the_assembled_file_too(app, client, login, world):
    login(world.author)
    data = SAMPLES["starts.mp4"][0]
    url = create(client, data, "starts.mp4").headers["Location"]
    app.config["UPLOAD_MAX_FILE_BYTES"] = len(data) - 1  # lowered while the upload ran
    answer = send(client, url, data, 0)
    assert answer.status_code == 422 and "larger than" in answer.get_json()["errors"][0]
    assert db.session.scalar(select(func.count(Evidence.id))) == 0


def test_bytes_past_the_declared_size_are_never_kept(client, login, world):
    login(world.author)
    data = pdf_bytes()
    url = create(client, data).headers["Location"]
    answer = send(client, url, data + b"trailing junk", 0)
    assert answer.status_code == 200
    assert db.session.scalar(select(Evidence.size_bytes)) == len(data)


def test_missing_checksum_or_name_is_refused(client, login, world):
    login(world.author)
    answer = client.post("/evidence/uploads", headers={
        **TUS, "Upload-Length": "10", "Upload-Metadata": f"filename {b64('a.pdf')}"})
    assert answer.status_code == 422
    answer = client.post("/evidence/uploads", headers={
        **TUS, "Upload-Length": "10", "Upload-Metadata": "filename ***"})
    assert answer.status_code == 400


def test_open_sessions_per_person_are_limited(client, login, world):
    login(world.author)
    for _ in range(resumable.MAX_OPEN_SESSIONS):
        assert create(client, pdf_bytes()).status_code == 201
    answer = create(client, pdf_bytes())
    assert answer.status_code == 422 and "too many unfinished" in answer.get_json()["error"]


def test_a_candidate_uploading_to_an_entry_attaches_the_file(client, login, world):
    from tests.factories import make_entry

    login(world.author)
    entry = make_entry(world.author, cohort=world.cohort, title="Block starts")
    other = make_entry(world.peer, cohort=world.cohort, title="Not yours")
    db.session.commit()
    data = pdf_bytes()
    assert create(client, data, extra=f",entry {b64(str(other.id))}").status_code == 404
    url = create(client, data, extra=f",entry {b64(str(entry.id))}").headers["Location"]
    answer = send(client, url, data, 0)
    assert answer.get_json()["redirect"] == f"/evidence/entry/{entry.id}/attach"
    from portfolio.evidence.models import EntryEvidence

    attached = db.session.scalars(select(Evidence.sha256).join(EntryEvidence).where(
        EntryEvidence.entry_id == entry.id)).all()
    assert attached == [hashlib.sha256(data).hexdigest()]


def test_expired_sessions_are_cleaned_by_the_command(app, client, login, world, runner):
    login(world.author)
    data = pdf_bytes("x" * 3000)
    old = create(client, data).headers["Location"]
    send(client, old, data[:1000], 0)
    fresh = create(client, pdf_bytes("other")).headers["Location"]
    db.session.execute(UploadSession.__table__.update()
                       .where(UploadSession.token == old.rsplit("/", 1)[1])
                       .values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert client.head(old, headers=TUS).status_code == 404  # expired: gone for the owner too
    result = runner.invoke(args=["uploads", "clean"])
    assert result.exit_code == 0 and "Removed 1 expired unfinished upload." in result.output
    db.session.expire_all()
    assert sessions() == 1
    assert [path.stem for path in partial_files(app)] == [fresh.rsplit("/", 1)[1]]
    assert client.head(fresh, headers=TUS).status_code == 200


def test_erasure_and_the_data_download_cover_unfinished_uploads(app, client, login, world):
    from portfolio.privacy.erasure import erase_person
    from portfolio.privacy.services import personal_data

    login(world.author)
    data = pdf_bytes("x" * 3000)
    url = create(client, data, "secret plan.pdf").headers["Location"]
    send(client, url, data[:1000], 0)
    download = personal_data(world.author)["unfinished_uploads"]
    assert [(row["filename"], row["received"]) for row in download] == [("secret plan.pdf", 1000)]
    assert "token" not in download[0]
    counts = erase_person(world.admin, world.author)
    db.session.commit()
    assert counts["unfinished_uploads"] == 1
    assert sessions() == 0 and partial_files(app) == []


def test_a_claim_left_by_a_worker_that_died_goes_stale(client, login, world):
    login(world.author)
    data = pdf_bytes("x" * 3000)
    url = create(client, data).headers["Location"]
    token = url.rsplit("/", 1)[1]
    session = db.session.scalar(select(UploadSession).where(UploadSession.token == token))
    resumable.claim(session, 0)  # a worker took the piece, then died before releasing it
    db.session.commit()
    answer = send(client, url, data, 0)
    assert answer.status_code == 409  # while the claim is fresh, nobody else writes
    db.session.execute(UploadSession.__table__.update().where(UploadSession.id == session.id)
                       .values(claimed_at=utcnow() - timedelta(
                           seconds=resumable.CLAIM_STALE_SECONDS + 1)))
    db.session.commit()
    assert send(client, url, data, 0).status_code == 200
