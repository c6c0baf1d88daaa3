"""Stream a person's data as a ZIP: personal-data.json plus their evidence files.

The ZIP is written straight into the response as it is produced (zipfile supports an
unseekable output), so memory stays flat however many gigabytes of video a coach uploaded.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

CHUNK_BYTES = 1024 * 1024


class _Sink:
    """A write-only file object whose bytes the generator hands on as they arrive."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def stream_zip(document: dict, files: list[tuple[str, Path]]) -> Iterator[bytes]:
    """Yield the archive's bytes; `files` are (name in the archive, path on disk)."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("personal-data.json",
                         json.dumps(document, indent=2, ensure_ascii=False, default=str))
        yield sink.drain()
        for name, path in files:
            with path.open("rb") as source, archive.open(name, "w", force_zip64=True) as out:
                while chunk := source.read(CHUNK_BYTES):
                    out.write(chunk)
                    yield sink.drain()
    yield sink.drain()
