"""The sniffer's verdict on real files agrees with an independent detector (puremagic).

The samples come from real encoders (tests/evidence/builders.py), and each is first opened by
a reader of its format, so a sample can only pass by being the file it claims to be. Where
puremagic has no signature (plain text, CSV, an MP3 that starts on a bare MPEG frame), a
second independent detector decides: FFmpeg's probe for the MP3, and for text the absence of
any binary signature at all.
"""

from __future__ import annotations

import io
import wave
import zipfile

import puremagic
import pytest

from portfolio.errors import DomainError
from portfolio.evidence.filetypes import TYPES, sniff
from tests.evidence.builders import SAMPLES, iso_media, zip_bytes

NO_SIGNATURE = {"splits.csv", "notes.txt", "raw.mp3"}


def write(tmp_path, data: bytes):
    path = tmp_path / "upload"
    path.write_bytes(data)
    return path


def puremagic_best(data: bytes) -> set[str]:
    """puremagic's most confident verdicts, as extensions and media types."""
    found = puremagic.magic_string(data)
    best = max(match.confidence for match in found)
    return {value for match in found if match.confidence == best
            for value in (match.extension, match.mime_type) if value}


def opened_by_its_reader(name: str, data: bytes) -> str:
    """Open the sample with a reader of its format; return what the reader saw."""
    kind = name.rsplit(".", 1)[1]
    if kind in ("jpg", "png", "webp"):
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return image.format
    if kind == "pdf":
        from pypdf import PdfReader

        return PdfReader(io.BytesIO(data)).pages[0].extract_text()
    if kind in ("mp4", "mov", "webm", "mp3", "m4a"):
        import av

        with av.open(io.BytesIO(data)) as container:
            frames = sum(1 for _ in container.decode(*container.streams))
            return f"{container.format.name}: {frames} frames"
    if kind == "wav":
        with wave.open(io.BytesIO(data)) as sound:
            return f"{sound.getnframes()} frames"
    if kind == "docx":
        from docx import Document

        return Document(io.BytesIO(data)).paragraphs[0].text
    if kind == "xlsx":
        from openpyxl import load_workbook

        return str(load_workbook(io.BytesIO(data)).active["A1"].value)
    if kind == "pptx":
        from pptx import Presentation

        return Presentation(io.BytesIO(data)).slides[0].shapes.title.text
    if kind == "odt":
        from odf.opendocument import load

        return str(load(io.BytesIO(data)).text)
    return data.decode("utf-8")


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_sample_is_a_real_file_its_reader_opens(name):
    seen = opened_by_its_reader(name, SAMPLES[name][0])
    assert seen and " 0 frames" not in seen, f"{name}: its reader saw {seen!r}"


@pytest.mark.parametrize("name", sorted(set(SAMPLES) - NO_SIGNATURE))
def test_the_sniffer_and_puremagic_agree(app, tmp_path, name):
    data = SAMPLES[name][0]
    found = sniff(write(tmp_path, data))
    independent = puremagic_best(data)
    assert independent & ({found.media_type, *found.extensions}), (
        f"{name}: the sniffer says {found.media_type}, puremagic says {sorted(independent)}")


def test_a_bare_mpeg_frame_is_mp3_to_ffmpeg_as_to_the_sniffer(app, tmp_path):
    import av

    data = SAMPLES["raw.mp3"][0]
    assert not data.startswith(b"ID3")
    with pytest.raises(puremagic.PureError):
        puremagic.magic_string(data)  # no signature for a bare frame: FFmpeg decides
    with av.open(io.BytesIO(data)) as container:
        assert container.format.name == "mp3"
    assert sniff(write(tmp_path, data)) is TYPES["mp3"]


@pytest.mark.parametrize("name", ["splits.csv", "notes.txt"])
def test_text_has_no_binary_signature_for_either_detector(app, tmp_path, name):
    data = SAMPLES[name][0]
    with pytest.raises(puremagic.PureError):
        puremagic.magic_string(data)
    assert sniff(write(tmp_path, data)) is TYPES["text"]


@pytest.mark.parametrize(("data", "puremagic_says"), [
    (b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + bytes(16), ".gif"),
    (iso_media(b"heic", (b"mif1", b"heic")), ".heif"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', ".svg"),
    (b"<!DOCTYPE html><html><body><script>alert(1)</script>", ".html"),
    (zip_bytes({"readme.txt": b"just an archive"}), ".zip"),
])
def test_types_puremagic_names_outside_the_allow_list_are_refused(app, tmp_path, data,
                                                                   puremagic_says):
    found = {match.extension for match in puremagic.magic_string(data)}
    assert puremagic_says in found
    with pytest.raises(DomainError):
        sniff(write(tmp_path, data))


def test_office_samples_are_the_packages_their_programs_write():
    """Each has the parts Word, Excel and PowerPoint themselves need, not just the main one."""
    for name, main in (("plan.docx", "word/document.xml"), ("times.xlsx", "xl/workbook.xml"),
                       ("talk.pptx", "ppt/presentation.xml")):
        with zipfile.ZipFile(io.BytesIO(SAMPLES[name][0])) as archive:
            names = set(archive.namelist())
        assert {"[Content_Types].xml", "_rels/.rels", main} <= names
        assert any(part.startswith("docProps/") for part in names), name
