"""Uploading: what is kept, and bad uploads that get a clear message and leave nothing stored."""

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from portfolio import storage
from portfolio.evidence.models import Evidence
from portfolio.extensions import db
from tests.evidence.builders import (
    SAMPLES,
    exif_with_gps_and_orientation,
    files_on_disk,
    image_bytes,
    pdf_bytes,
    png_header_only,
    store,
)
from tests.factories import make_scenario

SVG_WITH_SCRIPT = (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
                   b"<script>alert(document.cookie)</script></svg>")
HTML_PAGE = b"<!doctype html><html><body><script>steal()</script></body></html>"


@pytest.fixture
def world(app):
    s = make_scenario()
    db.session.commit()
    return s


def post_files(client, files, url="/evidence/upload"):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(url, data=data, content_type="multipart/form-data")


def evidence_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Evidence))


@pytest.mark.parametrize("name, content, message", [
    ("report.pdf", HTML_PAGE, "markup"),
    ("x.jpg.php", image_bytes("JPEG"), "its name ends in .php"),
    ("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n", "folder path or slash"),
    ("invoice\u202egpj.pdf", pdf_bytes(), "hidden characters"),
    ("plan\x00.pdf", pdf_bytes(), "control characters"),
    ("drawing.svg", SVG_WITH_SCRIPT, "markup"),
    ("flood.png", png_header_only(30_000, 30_000), "megapixels"),
    ("empty.pdf", b"", "empty"),
    ("program.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "cannot be uploaded"),
    ("archive.zip", None, "ZIP archives"),
    ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 40, "could not be read"),
])
def test_bad_upload_gets_a_clear_message_and_leaves_nothing_stored(
        app, client, login, world, name, content, message):
    if content is None:
        from tests.evidence.builders import zip_bytes
        content = zip_bytes({"a.txt": b"hello"})
    login(world.author)
    response = post_files(client, [(name, content)])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert evidence_count() == 0
    assert files_on_disk() == []


def test_name_with_nul_is_refused_by_the_service_too(app, world):
    from portfolio.errors import DomainError
    from portfolio.evidence import services
    from tests.evidence.builders import upload

    with pytest.raises(DomainError, match="control characters"):
        services.upload_file(world.author, upload("a\x00b.pdf", pdf_bytes()))
    assert evidence_count() == 0
    assert files_on_disk() == []


def test_file_over_the_size_limit_is_refused_and_nothing_kept(make_app, tmp_path):
    app = make_app(UPLOAD_MAX_FILE_BYTES=1000)
    with app.app_context():
        s = make_scenario()
        db.session.commit()
        client = app.test_client()
        from tests.factories import sign_in
        sign_in(client, s.author)
        response = post_files(client, [("big.pdf", pdf_bytes() + b"0" * 2000)])
        page = response.get_data(as_text=True)
        assert "larger than 1000 bytes, the limit for one file" in page
        assert evidence_count() == 0
        assert files_on_disk() == []


def test_upload_over_the_quota_is_refused_and_nothing_kept(make_app):
    app = make_app(UPLOAD_MAX_CANDIDATE_BYTES=1500)
    with app.app_context():
        s = make_scenario()
        db.session.commit()
        first = store(s.author, "plan.pdf", pdf_bytes("a" * 900))
        before = files_on_disk()
        client = app.test_client()
        from tests.factories import sign_in
        sign_in(client, s.author)
        response = post_files(client, [("second.pdf", pdf_bytes("b" * 900))])
        page = response.get_data(as_text=True)
        assert "Your evidence library is full" in page
        assert evidence_count() == 1 and first.id
        assert files_on_disk() == before


def test_request_over_the_overall_limit_keeps_the_form_with_a_message(make_app):
    app = make_app(MAX_CONTENT_LENGTH=5000)
    with app.app_context():
        s = make_scenario()
        db.session.commit()
        client = app.test_client()
        from tests.factories import sign_in
        sign_in(client, s.author)
        response = post_files(client, [("big.pdf", pdf_bytes() + b"0" * 10_000)])
        assert response.status_code == 413
        assert "Upload fewer or smaller files" in response.get_data(as_text=True)
        assert evidence_count() == 0
        assert files_on_disk() == []


def test_choosing_no_file_asks_for_one(client, login, world):
    login(world.author)
    response = client.post("/evidence/upload", data={}, content_type="multipart/form-data")
    assert "Choose at least one file to upload." in response.get_data(as_text=True)


def test_several_files_good_ones_kept_bad_one_named(client, login, world):
    login(world.author)
    response = post_files(client, [("plan.pdf", pdf_bytes()), ("evil.pdf", HTML_PAGE),
                                   ("photo.jpg", image_bytes("JPEG"))])
    page = response.get_data(as_text=True)
    assert "“evil.pdf”: Web pages" in page
    assert "2 files uploaded." in page
    titles = set(db.session.scalars(select(Evidence.title)))
    assert titles == {"plan", "photo"}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_accepted_type_is_stored_under_a_random_key(app, world, name):
    data, media_type, category = SAMPLES[name]
    evidence = store(world.author, name, data)
    assert (evidence.media_type, evidence.category) == (media_type, category)
    assert evidence.original_filename == name
    path = storage.stored_file(evidence.storage_key)
    assert path is not None and name not in str(path)
    assert len(evidence.storage_key) == 32
    if category != "image":
        assert path.read_bytes() == data


def test_all_accepted_uploads_via_the_page_redirect_to_the_library(client, login, world):
    login(world.author)
    response = post_files(client, [(name, SAMPLES[name][0]) for name in ("plan.pdf", "note.wav")])
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/evidence/")
    assert evidence_count() == 2


def test_same_file_twice_is_recognised_and_reused(client, login, world):
    first = store(world.author, "plan.pdf")
    files_before = files_on_disk()
    login(world.author)
    response = post_files(client, [("copy of plan.pdf", SAMPLES["plan.pdf"][0])])
    client.get("/evidence/")  # follow: the message is flashed
    assert response.status_code == 302
    assert evidence_count() == 1
    assert files_on_disk() == files_before
    assert db.session.get(Evidence, first.id) is not None


def test_same_file_from_another_candidate_is_their_own_copy(app, world):
    mine = store(world.author, "plan.pdf")
    theirs = store(world.peer, "plan.pdf")
    assert mine.id != theirs.id and mine.storage_key != theirs.storage_key


def test_photo_is_turned_upright_and_stripped_of_exif_and_gps(app, world):
    original = image_bytes("JPEG", size=(80, 40), exif=exif_with_gps_and_orientation(6))
    assert b"PhoneMaker" in original
    evidence = store(world.author, "photo.jpg", original)
    stored = storage.stored_file(evidence.storage_key).read_bytes()
    assert b"PhoneMaker" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (40, 80)  # rotated as the camera meant
        assert not image.getexif()
        assert "exif" not in image.info
    assert (evidence.width, evidence.height) == (40, 80)
    assert evidence.has_thumbnail
    with Image.open(storage.stored_file(evidence.storage_key, ".thumb")) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) <= 480


def test_big_image_gets_a_small_thumbnail(app, world):
    evidence = store(world.author, "wide.png", image_bytes("PNG", size=(2000, 1000)))
    with Image.open(storage.stored_file(evidence.storage_key, ".thumb")) as thumb:
        assert thumb.size == (480, 240)


def test_pixel_limit_is_configurable(make_app):
    app = make_app(UPLOAD_MAX_IMAGE_PIXELS=1000)
    with app.app_context():
        s = make_scenario()
        db.session.commit()
        from portfolio.errors import DomainError
        with pytest.raises(DomainError, match="megapixels"):
            store(s.author, "photo.jpg", image_bytes("JPEG", size=(50, 50)))
        assert files_on_disk() == []


def test_only_current_candidates_can_upload(client, login, world):
    for user in (world.developer, world.lead, world.admin, world.stranger):
        login(user)
        assert post_files(client, [("plan.pdf", pdf_bytes())]).status_code == 403
    world.author_membership.status = "withdrawn"
    db.session.commit()
    login(world.author)
    response = post_files(client, [("plan.pdf", pdf_bytes())])
    assert response.status_code == 403
    assert evidence_count() == 0


def test_candidate_in_an_archived_year_cannot_add_evidence(client, login, world):
    store(world.author, "plan.pdf")
    world.year.status = "archived"
    db.session.commit()
    login(world.author)
    response = post_files(client, [("notes.txt", b"more notes")])
    assert "not a candidate on a current programme" in response.get_data(as_text=True)
    assert evidence_count() == 1
    assert client.get("/evidence/").status_code == 200


def test_script_upload_answers_json_with_named_errors(client, login, world):
    login(world.author)
    response = client.post("/evidence/upload", headers={"Accept": "application/json"},
                           data={"files": [(io.BytesIO(HTML_PAGE), "page.pdf"),
                                           (io.BytesIO(pdf_bytes()), "ok.pdf")]},
                           content_type="multipart/form-data")
    body = response.get_json()
    assert response.status_code == 200
    assert body["uploaded"] == [{"title": "ok", "reused": False}]
    assert len(body["errors"]) == 1 and body["errors"][0].startswith("“page.pdf”")
    assert body["redirect"].endswith("/evidence/")


def test_oversized_post_with_csrf_on_answers_clearly_for_author_and_stranger(make_app):
    """With CSRF on, the body is parsed before the view: the 413 must still be a clear page."""
    app = make_app(MAX_CONTENT_LENGTH=5000, WTF_CSRF_ENABLED=True)
    with app.app_context():
        from tests.factories import make_entry, sign_in
        s = make_scenario()
        entry = make_entry(s.author, cohort=s.cohort)
        db.session.commit()
        big = [("big.pdf", pdf_bytes() + b"0" * 10_000)]
        author = sign_in(app.test_client(), s.author)
        response = post_files(author, big, url=f"/evidence/entry/{entry.id}/upload")
        assert response.status_code == 413
        assert "Upload fewer or smaller files" in response.get_data(as_text=True)
        peer = sign_in(app.test_client(), s.peer)
        response = post_files(peer, big, url=f"/evidence/entry/{entry.id}/upload")
        assert response.status_code == 404
        assert entry.title not in response.get_data(as_text=True)
