"""Write ZIP archives with flat memory: every file is streamed in 1 MiB chunks and hashed.

Names inside the archive come from people's names and file names, so each folder and file name
is made safe (no path separators, no `..`, no control or direction-changing characters, no
Windows device names) and de-duplicated within its folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import time
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

CHUNK_BYTES = 1024 * 1024
# Deflating a file this small saves a few dozen bytes and costs a compressor set-up (about
# 70 µs each, more than the rest of writing it): such files are stored as they are.
TINY_BYTES = 1024
MAX_NAME_CHARS = 120
# Already-compressed media gain nothing from deflate (it only costs time); store them as they
# are. Known by media type where the file has one, by suffix otherwise.
STORED_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".mp4", ".mov", ".m4v",
                   ".webm", ".mp3", ".m4a", ".aac", ".ogg", ".zip", ".docx", ".xlsx", ".pptx",
                   ".pdf", ".gz", ".7z", ".odt", ".ods", ".odp"}
COMPRESSED_TYPES = {"application/pdf", "application/zip", "application/gzip",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
_UNSAFE = re.compile(r'[/\\:*?"<>|]')
_DOTS = re.compile(r"\.{2,}")
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                    *(f"LPT{i}" for i in range(1, 10))}


def is_compressed(media_type: str | None) -> bool | None:
    """Whether a file of this media type is already compressed; None when the type is unknown
    (the name's suffix decides then)."""
    if not media_type:
        return None
    kind = media_type.split(";")[0].strip().lower()
    if kind.startswith(("image/", "video/", "audio/")) and kind != "image/svg+xml":
        return True
    return kind in COMPRESSED_TYPES or None


def safe_name(raw: str | None, fallback: str = "file") -> str:
    """One safe path component for an archive, readable and as close to `raw` as possible."""
    text = unicodedata.normalize("NFC", str(raw or ""))
    # Cc: control characters; Cf: format characters such as right-to-left overrides.
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    text = _DOTS.sub(".", _UNSAFE.sub("_", text))
    text = " ".join(text.split()).strip(" .")
    if len(text) > MAX_NAME_CHARS:
        path = PurePosixPath(text)
        suffix = path.suffix if len(path.suffix) <= 10 else ""
        text = text[: MAX_NAME_CHARS - len(suffix)].rstrip(" .") + suffix
    if not text or set(text) <= {"."}:
        text = fallback
    if text.split(".")[0].upper() in _WINDOWS_DEVICES:
        text = "_" + text
    return text


class NameRegistry:
    """Hand out names unique within each folder, case-insensitively (for Windows and macOS)."""

    def __init__(self):
        self._taken: set[str] = set()

    def claim(self, folder: str, raw: str | None, fallback: str = "file") -> str:
        name = safe_name(raw, fallback)
        path = PurePosixPath(name)
        stem, suffix = (path.stem, path.suffix) if path.suffix and path.stem else (name, "")
        candidate, number = name, 1
        while f"{folder}/{candidate}".casefold() in self._taken:
            number += 1
            candidate = f"{stem} ({number}){suffix}"
        self._taken.add(f"{folder}/{candidate}".casefold())
        return f"{folder}/{candidate}" if folder else candidate


@dataclass
class ArchivedFile:
    path: str
    size: int
    sha256: str

    def as_manifest(self) -> dict:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


@dataclass
class StreamingZip:
    """A ZIP being written to disk; `files` records what went in, for the manifest."""

    target: Path
    on_chunk: Callable[[], None] | None = None
    files: list[ArchivedFile] = field(default_factory=list)

    def __post_init__(self):
        self._zip = zipfile.ZipFile(self.target, "w", compression=zipfile.ZIP_DEFLATED,
                                    allowZip64=True)

    def _info(self, name: str, stored: bool | None = None) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
        if stored is None:
            stored = PurePosixPath(name).suffix.lower() in STORED_SUFFIXES
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        # Fastest deflate: about three times quicker than the default on reflective text and
        # still most of the saving; exports are written far more often than they are stored.
        info._compresslevel = 1  # noqa: SLF001 - ZipInfo has no public setter before 3.13
        info.external_attr = 0o644 << 16
        return info

    def add_stream(self, name: str, source, stored: bool | None = None) -> ArchivedFile:
        """Copy a readable binary stream into the archive 1 MiB at a time, hashing it as it
        passes (one read of each byte; the manifest's checksum comes from this pass).
        `stored`: True to store, False to deflate, None to decide by the name's suffix.
        A file that fits in one chunk is written in one piece; one of TINY_BYTES or fewer is
        stored whatever its kind."""
        first = source.read(CHUNK_BYTES)
        second = source.read(CHUNK_BYTES) if first else b""
        if not second:
            return self._add_whole(name, first, stored)
        digest, size = hashlib.sha256(), 0
        with self._zip.open(self._info(name, stored), "w", force_zip64=True) as out:
            chunk = first
            while chunk:
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
                if self.on_chunk:
                    self.on_chunk()
                chunk, second = second, None
                if chunk is None:
                    chunk = source.read(CHUNK_BYTES)
        record = ArchivedFile(name, size, digest.hexdigest())
        self.files.append(record)
        return record

    def _add_whole(self, name: str, data: bytes, stored: bool | None) -> ArchivedFile:
        """A file already read whole: its size is known, so no ZIP64 sizes are reserved."""
        if len(data) <= TINY_BYTES:
            stored = True
        self._zip.writestr(self._info(name, stored), data)
        if self.on_chunk:
            self.on_chunk()
        record = ArchivedFile(name, len(data), hashlib.sha256(data).hexdigest())
        self.files.append(record)
        return record

    def add_file(self, name: str, path: Path, stored: bool | None = None) -> ArchivedFile:
        with path.open("rb", buffering=0) as source:
            return self.add_stream(name, source, stored)

    def add_bytes(self, name: str, data: bytes, stored: bool | None = None) -> ArchivedFile:
        return self.add_stream(name, io.BytesIO(data), stored)

    def add_manifest(self, name: str, manifest: dict) -> None:
        """Write manifest.json (not listed in itself: it cannot hold its own checksum)."""
        body = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        with self._zip.open(self._info(name), "w") as out:
            out.write(body)

    def close(self) -> None:
        self._zip.close()

    def abort(self) -> None:
        try:
            self._zip.close()
        finally:
            self.target.unlink(missing_ok=True)
