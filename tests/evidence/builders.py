"""Sample files of every accepted type (and some refused ones), plus evidence builders."""

from __future__ import annotations

import io
import struct
import wave
import zipfile
import zlib
from pathlib import Path

from flask import current_app
from PIL import Image
from werkzeug.datastructures import FileStorage

from portfolio.evidence import services
from portfolio.extensions import db
from tests.factories import make_entry

# --- images -----------------------------------------------------------------------------


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), exif=None) -> bytes:
    image = Image.new("RGB", size, color)
    image.putpixel((0, 0), (0, 0, 255))  # a marker pixel to check orientation later
    out = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **options)
    return out.getvalue()


def exif_with_gps_and_orientation(orientation=6) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation: 6 = rotate 90° clockwise to display
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS IFD
    return exif.tobytes()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG declaring huge dimensions with almost no data: a pixel-flood attempt."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


# --- documents, audio and video -------------------------------------------------------


def pdf_bytes(text="Session plan") -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% " + text.encode() + b"\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def iso_media(brand: bytes, compatible=(b"isom",)) -> bytes:
    body = brand + b"\x00\x00\x02\x00" + b"".join(compatible)
    ftyp = struct.pack(">I", 8 + len(body)) + b"ftyp" + body
    mdat = struct.pack(">I", 8 + 64) + b"mdat" + bytes(range(64))
    return ftyp + mdat


def webm_bytes() -> bytes:
    return b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + bytes(64)


def mp3_bytes(id3=True) -> bytes:
    frame = b"\xff\xfb\x90\x64" + bytes(413)  # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz
    return (b"ID3\x03\x00\x00\x00\x00\x00\x00" + frame) if id3 else frame * 3


def wav_bytes() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(8000)
        handle.writeframes(b"\x00\x00" * 800)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def office_bytes(kind="docx") -> bytes:
    main = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml",
            "pptx": "ppt/presentation.xml"}[kind]
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>",
                      main: b"<doc/>"})


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", b"<office:document-content/>")
    return out.getvalue()


SAMPLES = {
    # name: (bytes, expected media type, category)
    "plan.pdf": (pdf_bytes(), "application/pdf", "document"),
    "photo.jpg": (image_bytes("JPEG"), "image/jpeg", "image"),
    "diagram.png": (image_bytes("PNG"), "image/png", "image"),
    "cones.webp": (image_bytes("WEBP"), "image/webp", "image"),
    "starts.mp4": (iso_media(b"isom", (b"isom", b"avc1")), "video/mp4", "video"),
    "iphone.mov": (iso_media(b"qt  ", (b"qt  ",)), "video/quicktime", "video"),
    "clip.webm": (webm_bytes(), "video/webm", "video"),
    "debrief.mp3": (mp3_bytes(), "audio/mpeg", "audio"),
    "raw.mp3": (mp3_bytes(id3=False), "audio/mpeg", "audio"),
    "voice.m4a": (iso_media(b"M4A ", (b"M4A ", b"mp42")), "audio/mp4", "audio"),
    "note.wav": (wav_bytes(), "audio/wav", "audio"),
    "plan.docx": (office_bytes("docx"),
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "document"),
    "times.xlsx": (office_bytes("xlsx"),
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   "document"),
    "talk.pptx": (office_bytes("pptx"),
                  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                  "document"),
    "plan.odt": (odt_bytes(), "application/vnd.oasis.opendocument.text", "document"),
    "splits.csv": (b"athlete,rep,time\nA,1,12.3\nB,1,12.9\n", "text/csv", "document"),
    "notes.txt": ("Warm-up went well — cue “tall hips”.\n".encode(), "text/plain", "document"),
}


# --- uploading ---------------------------------------------------------------------------


def upload(name: str, data: bytes) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def store(owner, name="plan.pdf", data=None, title=None):
    """Upload a file as `owner` through the service and commit; return the evidence."""
    if data is None:
        data = SAMPLES[name][0] if name in SAMPLES else pdf_bytes(f"document {name}")
    outcome = services.upload_file(owner, upload(name, data), title=title)
    db.session.commit()
    return outcome.evidence


def entry_with(owner, evidence, **options):
    """A saved entry whose version lists the evidence."""
    entry = make_entry(owner, evidence=evidence, **options)
    db.session.commit()
    return entry


def files_on_disk() -> list[Path]:
    """Every file under the upload folder, staging included."""
    root = Path(current_app.config["UPLOAD_FOLDER"])
    return sorted(path for path in root.rglob("*") if path.is_file())
