"""Sample files of every accepted type (and some refused ones), plus evidence builders.

Each sample is made by a real encoder (Pillow, pypdf, FFmpeg through PyAV, python-docx,
openpyxl, python-pptx, odfpy, the standard library's wave and zipfile), never by writing the
few bytes the sniffer looks at, so the sniffer is tested against files as cameras, phones and
office programs make them. Only the attack files (a pixel-flood PNG, a bare ZIP) are hand-made.
"""

from __future__ import annotations

import io
import math
import struct
import wave
import zipfile
import zlib
from collections.abc import Mapping
from functools import cache
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
    """A one-page A4 PDF (pypdf) showing `text`, which also appears uncompressed in the bytes."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    writer.metadata = None  # no /Info: a sample is about 570 bytes plus its text
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): font})})
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    contents = DecodedStreamObject()
    contents.set_data(f"BT /F1 14 Tf 72 770 Td ({escaped}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(contents)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# FFmpeg (through PyAV) makes the audio and video: a few frames of colour, a 440 Hz tone.
RATE = 22050


def _tone(samples: int, start: int) -> bytes:
    return b"".join(struct.pack("<f", 0.3 * math.sin(2 * math.pi * 440 * (start + i) / RATE))
                    for i in range(samples))


def encoded_media(container_format: str, video: str | None = None, audio: str | None = None,
                  options: dict | None = None, frames: int = 4) -> bytes:
    import av

    out = io.BytesIO()
    with av.open(out, "w", format=container_format, options=options or {}) as container:
        picture = container.add_stream(video, rate=10) if video else None
        sound = container.add_stream(audio, rate=RATE) if audio else None
        if picture:
            picture.width, picture.height, picture.pix_fmt = 64, 48, "yuv420p"
        if sound:
            sound.layout = "mono"
        if picture:
            for number in range(frames):
                frame = av.VideoFrame.from_image(Image.new("RGB", (64, 48),
                                                           (40 * number, 120, 200)))
                frame.pts = number
                for packet in picture.encode(frame):
                    container.mux(packet)
            for packet in picture.encode():
                container.mux(packet)
        if sound:
            size = sound.codec_context.frame_size or 1152
            for number in range(max(1, RATE * frames // 10 // size)):
                frame = av.AudioFrame(format="fltp", layout="mono", samples=size)
                frame.planes[0].update(_tone(size, number * size)[:frame.planes[0].buffer_size])
                frame.sample_rate, frame.pts = RATE, number * size
                for packet in sound.encode(frame):
                    container.mux(packet)
            for packet in sound.encode():
                container.mux(packet)
    return out.getvalue()


def mp4_bytes() -> bytes:
    return encoded_media("mp4", video="libx264", audio="aac")


def mov_bytes() -> bytes:
    return encoded_media("mov", video="libx264", audio="aac")


def m4a_bytes() -> bytes:
    return encoded_media("ipod", audio="aac")  # FFmpeg's muxer for .m4a


def iso_media(brand: bytes, compatible=(b"isom",)) -> bytes:
    """A bare ftyp box with the given brands: for brands no encoder here makes (HEIC)."""
    body = brand + b"\x00\x00\x02\x00" + b"".join(compatible)
    ftyp = struct.pack(">I", 8 + len(body)) + b"ftyp" + body
    mdat = struct.pack(">I", 8 + 64) + b"mdat" + bytes(range(64))
    return ftyp + mdat


def webm_bytes() -> bytes:
    return encoded_media("webm", video="libvpx")


def mp3_bytes(id3=True) -> bytes:
    """LAME through FFmpeg; without the ID3 tag (and Xing header) the file opens on a frame."""
    options = None if id3 else {"id3v2_version": "0", "write_xing": "0"}
    return encoded_media("mp3", audio="libmp3lame", options=options)


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
    """A Word document, Excel workbook or PowerPoint deck as those libraries save them."""
    out = io.BytesIO()
    if kind == "docx":
        from docx import Document

        document = Document()
        document.add_paragraph("Session plan: block starts, then 3 x 60 m.")
        document.save(out)
    elif kind == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.active.append(["athlete", "rep", "time"])
        workbook.active.append(["A", 1, 12.3])
        workbook.save(out)
    else:
        from pptx import Presentation

        deck = Presentation()
        deck.slides.add_slide(deck.slide_layouts[5]).shapes.title.text = "Acceleration"
        deck.save(out)
    return out.getvalue()


def odt_bytes() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text="Session plan"))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


_SAMPLE_MAKERS = {
    # name: (how to make it, expected media type, category)
    "plan.pdf": (pdf_bytes, "application/pdf", "document"),
    "photo.jpg": (lambda: image_bytes("JPEG"), "image/jpeg", "image"),
    "diagram.png": (lambda: image_bytes("PNG"), "image/png", "image"),
    "cones.webp": (lambda: image_bytes("WEBP"), "image/webp", "image"),
    "starts.mp4": (mp4_bytes, "video/mp4", "video"),
    "iphone.mov": (mov_bytes, "video/quicktime", "video"),
    "clip.webm": (webm_bytes, "video/webm", "video"),
    "debrief.mp3": (mp3_bytes, "audio/mpeg", "audio"),
    "raw.mp3": (lambda: mp3_bytes(id3=False), "audio/mpeg", "audio"),
    "voice.m4a": (m4a_bytes, "audio/mp4", "audio"),
    "note.wav": (wav_bytes, "audio/wav", "audio"),
    "plan.docx": (lambda: office_bytes("docx"),
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "document"),
    "times.xlsx": (lambda: office_bytes("xlsx"),
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   "document"),
    "talk.pptx": (lambda: office_bytes("pptx"),
                  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                  "document"),
    "plan.odt": (odt_bytes, "application/vnd.oasis.opendocument.text", "document"),
    "splits.csv": (lambda: b"athlete,rep,time\nA,1,12.3\nB,1,12.9\n", "text/csv", "document"),
    "notes.txt": (lambda: "Warm-up went well — cue “tall hips”.\n".encode(), "text/plain",
                  "document"),
}


class _Samples(Mapping):
    """name -> (bytes, expected media type, category); each file is made once, when first used."""

    def __getitem__(self, name):
        make, media_type, category = _SAMPLE_MAKERS[name]
        return _made(name), media_type, category

    def __iter__(self):
        return iter(_SAMPLE_MAKERS)

    def __len__(self):
        return len(_SAMPLE_MAKERS)


@cache
def _made(name: str) -> bytes:
    return _SAMPLE_MAKERS[name][0]()


SAMPLES = _Samples()


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
