"""One way to send a file to the browser: Werkzeug's `send_file(download_name=...)`, for a file
on disk, bytes built in memory or a stream of chunks, named as RFC 6266 says.

The name header keeps an ASCII `filename` for old clients (accents dropped, anything else that
could break the header replaced by "_") beside the exact UTF-8 `filename*`, so a coach's
"Séance d’entraînement.pdf" arrives with its own name and `a"b;c.pdf` cannot split the header.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from flask import Response, send_file


def ascii_fallback(name: str, default: str = "download") -> str:
    """An ASCII-only version of a file name, for clients that ignore `filename*`."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")  # é -> e
    cleaned = re.sub(r"[^A-Za-z0-9._ ()+-]", "_", letters).strip(" .")
    return cleaned or default


def content_disposition(name: str, *, inline: bool = False, default: str = "download") -> str:
    """`attachment; filename="x"; filename*=UTF-8''x` (RFC 6266 with RFC 8187 encoding)."""
    kind = "inline" if inline else "attachment"
    return (f'{kind}; filename="{ascii_fallback(name, default)}"; '
            f"filename*=UTF-8''{quote(name, safe='')}")


class _ChunkReader(io.RawIOBase):
    """A readable file over an iterable of str or bytes chunks, read only as it is sent."""

    def __init__(self, chunks: Iterable[str | bytes]):
        self._chunks = iter(chunks)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size], self._pending = self._pending[:size], self._pending[size:]
        return size


def send_download(source: Path | bytes | Iterable[str | bytes], name: str, media_type: str, *,
                  inline: bool = False, default_name: str = "download", private: bool = True,
                  **options) -> Response:
    """Send `source` (a path, bytes, or chunks streamed as they come) named `name`.

    `options` go to `send_file` (conditional, etag, last_modified, max_age). Personal data is
    the rule here, so a download is `private, no-store` unless `private=False`.
    """
    length = None
    if isinstance(source, bytes | bytearray):
        length, source = len(source), io.BytesIO(source)
    elif not isinstance(source, Path):
        source = io.BufferedReader(_ChunkReader(source))
    response = send_file(source, mimetype=media_type, as_attachment=not inline,
                         download_name=name, **options)
    response.content_type = media_type  # as given: send_file would add a second charset
    if length is not None:
        response.content_length = length
    response.headers["Content-Disposition"] = content_disposition(
        name, inline=inline, default=default_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    return response
