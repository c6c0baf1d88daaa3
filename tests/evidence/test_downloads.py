"""Files are served safely: attachment by default, inline only for checked media, ranges work."""

import io

import pytest
from PIL import Image

from portfolio.extensions import db
from tests.evidence.builders import SAMPLES, entry_with, image_bytes, store
from tests.factories import make_scenario, sign_in


@pytest.fixture
def world(app):
    s = make_scenario()
    db.session.commit()
    return s


def owner_client(app, world):
    return sign_in(app.test_client(), world.author)


def test_document_downloads_as_an_attachment_with_rfc6266_names(app, world):
    evidence = store(world.author, "Séance d’entraînement – plan.pdf", SAMPLES["plan.pdf"][0])
    response = owner_client(app, world).get(f"/evidence/{evidence.id}/file")
    disposition = response.headers["Content-Disposition"]
    assert response.status_code == 200
    assert disposition.startswith("attachment;")
    assert 'filename="Seance d_entrainement _ plan.pdf"' in disposition
    assert ("filename*=UTF-8''S%C3%A9ance%20d%E2%80%99entra%C3%AEnement%20%E2%80%93%20plan.pdf"
            in disposition)
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.data == SAMPLES["plan.pdf"][0]


def test_quotes_in_names_cannot_break_the_header(app, world):
    evidence = store(world.author, 'a"b;c.pdf', SAMPLES["plan.pdf"][0])
    disposition = owner_client(app, world).get(
        f"/evidence/{evidence.id}/download").headers["Content-Disposition"]
    assert 'filename="a_b_c.pdf"' in disposition
    assert "filename*=UTF-8''a%22b%3Bc.pdf" in disposition


@pytest.mark.parametrize("name", ["notes.txt", "splits.csv", "plan.docx"])
def test_text_and_office_files_are_never_inline(app, world, name):
    evidence = store(world.author, name)
    response = owner_client(app, world).get(f"/evidence/{evidence.id}/file")
    assert response.headers["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("name", ["photo.jpg", "starts.mp4", "debrief.mp3", "clip.webm"])
def test_images_video_and_audio_play_inline_but_download_as_attachment(app, world, name):
    evidence = store(world.author, name)
    client = owner_client(app, world)
    inline = client.get(f"/evidence/{evidence.id}/file")
    assert inline.headers["Content-Disposition"].startswith("inline;")
    assert inline.headers["Content-Type"] == SAMPLES[name][1]
    download = client.get(f"/evidence/{evidence.id}/download")
    assert download.headers["Content-Disposition"].startswith("attachment;")


def test_video_supports_http_range_requests(app, world):
    evidence = store(world.author, "starts.mp4")
    data = SAMPLES["starts.mp4"][0]
    response = owner_client(app, world).get(f"/evidence/{evidence.id}/file",
                                            headers={"Range": "bytes=8-15"})
    assert response.status_code == 206
    assert response.data == data[8:16]
    assert response.headers["Content-Range"] == f"bytes 8-15/{len(data)}"
    assert response.headers["Accept-Ranges"] == "bytes"


def test_thumbnail_is_a_small_jpeg_for_images_only(app, world):
    photo = store(world.author, "wide.png", image_bytes("PNG", size=(1200, 600)))
    document = store(world.author, "plan.pdf")
    client = owner_client(app, world)
    response = client.get(f"/evidence/{photo.id}/thumbnail")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    with Image.open(io.BytesIO(response.data)) as image:
        assert image.size == (480, 240)
    assert client.get(f"/evidence/{document.id}/thumbnail").status_code == 404


def test_link_evidence_has_no_file(app, world):
    from tests.factories import make_link_evidence

    link = make_link_evidence(world.author)
    db.session.commit()
    client = owner_client(app, world)
    assert client.get(f"/evidence/{link.id}/file").status_code == 404
    assert client.get(f"/evidence/{link.id}").status_code == 200


def test_missing_file_answers_404_not_an_error(app, world):
    from portfolio import storage

    evidence = store(world.author, "plan.pdf")
    storage.stored_file(evidence.storage_key).unlink()
    assert owner_client(app, world).get(f"/evidence/{evidence.id}/file").status_code == 404


def test_reader_sees_the_evidence_page_with_player(app, world):
    video = store(world.author, "starts.mp4", title="Block starts, session 3")
    entry_with(world.author, [video], cohort=world.cohort, privacy="peers")
    page = sign_in(app.test_client(), world.peer).get(f"/evidence/{video.id}").get_data(
        as_text=True)
    assert "Block starts, session 3" in page
    assert f'<video class="evidence-player" controls preload="metadata" src="/evidence/{video.id}/file"' in page
    assert "Delete evidence" not in page
