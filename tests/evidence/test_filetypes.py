"""The type of a file is decided by its bytes against the allow-list, never by its name."""

import pytest

from portfolio.errors import DomainError
from portfolio.evidence.filetypes import sniff
from tests.evidence.builders import SAMPLES, office_bytes, zip_bytes


def write(tmp_path, data: bytes):
    path = tmp_path / "upload"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_accepted_type_is_recognised_from_its_bytes(app, tmp_path, name):
    data, media_type, category = SAMPLES[name]
    found = sniff(write(tmp_path, data))
    expected = "text/plain" if media_type == "text/csv" else media_type  # CSV: decided by name
    assert (found.media_type, found.category) == (expected, category)


@pytest.mark.parametrize("data, reason", [
    (b"<!DOCTYPE html><html><body><script>alert(1)</script>", "markup"),
    (b"  \n<html><p>hello</p></html>", "markup"),
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
     "markup"),
    (b"<svg onload=alert(1)>", "markup"),
    (b"Looks like notes\n<ScRiPt src=//evil.example/x.js></script>", "markup"),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "type"),  # a Windows program
    (b"GIF89a\x01\x00\x01\x00", "type"),
    (b"\x00\x01\x02binary junk", "type"),
    (b"caf\xe9 latin-1 text", "type"),
])
def test_markup_programs_and_unlisted_types_are_refused(app, tmp_path, data, reason):
    with pytest.raises(DomainError) as refused:
        sniff(write(tmp_path, data))
    message = refused.value.message
    assert ("markup" in message) if reason == "markup" else ("cannot be uploaded" in message)


def test_markup_split_across_read_chunks_is_still_found(app, tmp_path):
    from portfolio.evidence import filetypes

    data = b"a" * (filetypes.TEXT_CHUNK - 3) + b"<script>"
    with pytest.raises(DomainError, match="markup"):
        sniff(write(tmp_path, data))


def test_plain_zip_and_macro_documents_are_refused(app, tmp_path):
    with pytest.raises(DomainError, match="ZIP archives cannot be uploaded"):
        sniff(write(tmp_path, zip_bytes({"a.txt": b"hello"})))
    with pytest.raises(DomainError, match="macros"):
        sniff(write(tmp_path, zip_bytes({"[Content_Types].xml": b"<Types/>",
                                         "word/document.xml": b"<d/>",
                                         "word/vbaProject.bin": b"\x00"})))


def test_damaged_zip_gets_a_clear_message(app, tmp_path):
    with pytest.raises(DomainError, match="could not be read"):
        sniff(write(tmp_path, office_bytes("docx")[:200]))


def test_matroska_that_is_not_webm_is_refused(app, tmp_path):
    with pytest.raises(DomainError):
        sniff(write(tmp_path, b"\x1a\x45\xdf\xa3\x9f\x42\x82\x88matroska" + bytes(64)))


def test_iphone_heic_photo_gets_advice_to_share_a_jpeg(app, tmp_path):
    from tests.evidence.builders import iso_media

    with pytest.raises(DomainError, match="Share the photo as a JPEG"):
        sniff(write(tmp_path, iso_media(b"heic", (b"mif1", b"heic"))))
