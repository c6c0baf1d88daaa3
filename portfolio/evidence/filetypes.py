"""Decide what an uploaded file really is from its bytes, against the programme's allow-list.

The name a browser sends is never trusted for the type: the content decides, and the name's
extension must then agree with it. Web pages and SVG are refused outright because a browser
would run the scripts they can carry.
"""

from __future__ import annotations

import codecs
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import DomainError


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    media_type: str
    category: str  # image, video, audio, document
    extensions: tuple[str, ...]

    @property
    def extension(self) -> str:
        return self.extensions[0]


TYPES = {t.key: t for t in (
    FileType("pdf", "PDF document", "application/pdf", "document", (".pdf",)),
    FileType("jpeg", "JPEG image", "image/jpeg", "image", (".jpg", ".jpeg", ".jpe")),
    FileType("png", "PNG image", "image/png", "image", (".png",)),
    FileType("webp", "WebP image", "image/webp", "image", (".webp",)),
    FileType("mp4", "MP4 video", "video/mp4", "video", (".mp4", ".m4v")),
    FileType("mov", "QuickTime video", "video/quicktime", "video", (".mov", ".qt")),
    FileType("webm", "WebM video", "video/webm", "video", (".webm",)),
    FileType("mp3", "MP3 audio", "audio/mpeg", "audio", (".mp3",)),
    FileType("m4a", "M4A audio", "audio/mp4", "audio", (".m4a",)),
    FileType("wav", "WAV audio", "audio/wav", "audio", (".wav",)),
    FileType("docx", "Word document",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "document", (".docx",)),
    FileType("xlsx", "Excel spreadsheet",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "document", (".xlsx",)),
    FileType("pptx", "PowerPoint presentation",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation",
             "document", (".pptx",)),
    FileType("odt", "OpenDocument text", "application/vnd.oasis.opendocument.text", "document",
             (".odt",)),
    FileType("csv", "CSV spreadsheet", "text/csv", "document", (".csv",)),
    FileType("text", "Plain text", "text/plain", "document", (".txt", ".text", ".md")),
)}

ACCEPTED_SUMMARY = ("PDF; JPEG, PNG or WebP images; MP4, MOV or WebM video; MP3, M4A or WAV "
                    "audio; Word, Excel, PowerPoint or OpenDocument text files; CSV or plain text")
# For the file input's `accept` attribute: a hint to the browser's picker, never a check.
ACCEPT_ATTRIBUTE = ",".join(ext for t in TYPES.values() for ext in t.extensions)

HEAD_BYTES = 4096
MAX_ZIP_MEMBERS = 5000
MAX_ZIP_DIRECTORY_BYTES = 8 * 1024 * 1024
TEXT_CHUNK = 256 * 1024

MP4_BRANDS = {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso7", b"iso8", b"iso9",
              b"mp41", b"mp42", b"avc1", b"M4V ", b"M4VH", b"M4VP", b"MSNV", b"dash", b"mmp4",
              b"f4v "}
M4A_BRANDS = {b"M4A ", b"M4B "}
MOV_BRANDS = {b"qt  "}
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"avif"}
# Markers of markup a browser might render as a page (scripts, SVG) whatever the file is called.
MARKUP_MARKERS = ("<script", "<svg", "<html", "<!doctype", "<iframe", "<?xml", "<body", "<head",
                  "<object", "<embed", "<meta", "<xsl", "javascript:")
_MARKER_OVERLAP = max(len(marker) for marker in MARKUP_MARKERS)
_STRAY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

MARKUP_REFUSED = ("Web pages, SVG images and other files containing markup cannot be uploaded, "
                  "because a browser could run scripts inside them.")


def refuse(message: str) -> DomainError:
    return DomainError(message, field="files")


def sniff(path: Path) -> FileType:
    """Return the allowed type of the file's content, or raise DomainError saying why not."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    found = _binary_type(head)
    if found == "zip":
        return _zip_type(path)
    if found:
        return TYPES[found]
    return _text_type(path)


def _binary_type(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE"):
        return "webp" if head[8:12] == b"WEBP" else "wav"
    if head[4:8] == b"ftyp":
        return _iso_media_type(head)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm" if b"webm" in head[:64] else None
    if head.startswith(b"ID3") or _is_mp3_frame(head):
        return "mp3"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _iso_media_type(head: bytes) -> str | None:
    """Read the ftyp box: the major brand, then the compatible brands, decide MP4/MOV/M4A."""
    size = struct.unpack(">I", head[:4])[0]
    box = head[8:min(max(size, 16), len(head))]
    brands = [box[0:4]] + [box[i:i + 4] for i in range(8, len(box) - 3, 4)]
    if brands[0] in HEIF_BRANDS:
        raise refuse("HEIC and AVIF photos cannot be uploaded. Share the photo as a JPEG "
                     "instead (on an iPhone: Settings > Camera > Formats > Most Compatible).")
    for brand in brands:
        if brand in M4A_BRANDS:
            return "m4a"
        if brand in MOV_BRANDS:
            return "mov"
        if brand in MP4_BRANDS:
            return "mp4"
    return None


def _is_mp3_frame(head: bytes) -> bool:
    """An MPEG audio Layer III frame header: 11 sync bits, a valid version, bitrate and rate."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version = (head[1] >> 3) & 0x03
    layer = (head[1] >> 1) & 0x03
    bitrate = head[2] >> 4
    sample_rate = (head[2] >> 2) & 0x03
    return version != 1 and layer == 1 and bitrate not in (0, 15) and sample_rate != 3


def _zip_type(path: Path) -> FileType:
    """Office and OpenDocument files are ZIP archives: look at their parts, never extract."""
    _check_zip_directory(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise refuse("Documents containing macros cannot be uploaded. Save it as an "
                             "ordinary document (for example .docx rather than .docm) and try again.")
            if "[Content_Types].xml" in names:
                for prefix, main_part, key in (("word/", "word/document.xml", "docx"),
                                               ("xl/", "xl/workbook.xml", "xlsx"),
                                               ("ppt/", "ppt/presentation.xml", "pptx")):
                    if main_part in names and any(n.startswith(prefix) for n in names):
                        return TYPES[key]
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    declared = member.read(100).strip()
                if declared == b"application/vnd.oasis.opendocument.text":
                    return TYPES["odt"]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError,
            EOFError, NotImplementedError) as error:
        raise refuse("The file looks like a ZIP archive but could not be read. It may be "
                     "damaged; try saving it again.") from error
    raise refuse("ZIP archives cannot be uploaded. Word, Excel, PowerPoint and OpenDocument "
                 "text files are accepted.")


def _check_zip_directory(path: Path) -> None:
    """Refuse archives whose table of contents is huge before zipfile loads it into memory."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - 65_557))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise refuse("The file looks like a ZIP archive but could not be read. It may be "
                     "damaged; try saving it again.")
    members, directory_bytes = struct.unpack("<HI", tail[at + 10:at + 16])
    if members >= MAX_ZIP_MEMBERS or directory_bytes > MAX_ZIP_DIRECTORY_BYTES:
        raise refuse("The document has too many parts to check safely. Save it as a PDF and "
                     "upload that instead.")


def _text_type(path: Path) -> FileType:
    """Accept valid UTF-8 with no NUL or stray control characters and no markup."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    tail = ""
    with path.open("rb") as handle:
        while chunk := handle.read(TEXT_CHUNK):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise _not_allowed() from error
            _check_text(tail + text)
            tail = (tail + text)[-_MARKER_OVERLAP:]
        try:
            _check_text(tail + decoder.decode(b"", final=True))
        except UnicodeDecodeError as error:
            raise _not_allowed() from error
    return TYPES["text"]


def _check_text(text: str) -> None:
    if _STRAY_CONTROLS.search(text):
        raise _not_allowed()
    lowered = text.lower()
    if any(marker in lowered for marker in MARKUP_MARKERS):
        raise refuse(MARKUP_REFUSED)


def _not_allowed() -> DomainError:
    return refuse(f"This type of file cannot be uploaded. Accepted: {ACCEPTED_SUMMARY}.")


def type_for_name(found: FileType, extension: str) -> FileType:
    """Plain text content named .csv is CSV; otherwise the content's own type."""
    if found.key == "text" and extension == ".csv":
        return TYPES["csv"]
    return found
