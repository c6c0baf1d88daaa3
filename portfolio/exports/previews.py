"""Small previews of image evidence for the portfolio document, made with bounded memory.

A preview is the thumbnail the evidence feature stored at upload (already re-encoded and free
of EXIF) when there is one. Otherwise one is made here with Pillow: the picture's size is read
from its header before any pixel is decoded, JPEGs are decoded straight at a reduced scale
(`draft`), and a picture that would still need more than MAX_DECODED_PIXELS is left without a
preview rather than decoded whole. Only evidence already in the document (which the requester
may open) ever gets a preview.
"""

from __future__ import annotations

import base64
import io
import logging
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ..evidence.models import Evidence
from . import sources

log = logging.getLogger(__name__)

PREVIEW_BOX = (480, 480)
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
# What one preview may cost to decode: 8 MP is 32 MB as RGBA, whatever the file's size.
MAX_DECODED_PIXELS = 8_000_000
MAX_STORED_THUMBNAIL_BYTES = 2 * 1024 * 1024


def previews_for(items: list[Evidence]) -> dict[int, str]:
    """{evidence id: data URI of a JPEG preview} for the image files among `items`."""
    previews = {}
    for item in items:
        data = preview_bytes(item)
        if data:
            previews[item.id] = "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")
    return previews


def preview_bytes(item: Evidence) -> bytes | None:
    """A JPEG no larger than PREVIEW_BOX for an image file, or None if none can be made."""
    if not item.is_file or item.media_type not in PILLOW_FORMATS:
        return None
    stored = sources.evidence_file(item, ".thumb") if item.has_thumbnail else None
    if stored is not None and stored.stat().st_size <= MAX_STORED_THUMBNAIL_BYTES:
        return stored.read_bytes()
    original = sources.evidence_file(item)
    if original is None:
        return None
    try:
        return make_preview(original, PILLOW_FORMATS[item.media_type])
    except (OSError, SyntaxError, ValueError, EOFError, UnidentifiedImageError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        log.warning("no preview for evidence %s: %s", item.id, type(error).__name__)
        return None


def make_preview(path: Path, pillow_format: str) -> bytes | None:
    """Decode `path` at the smallest scale that still fills PREVIEW_BOX; None if too big."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(path, formats=[pillow_format]) as image:
            if pillow_format == "JPEG":
                image.draft("RGB", PREVIEW_BOX)  # decode at 1/2, 1/4 or 1/8 scale
            if image.width * image.height > MAX_DECODED_PIXELS:
                log.info("no preview for %s: %sx%s is too large to decode", path.name,
                         image.width, image.height)
                return None
            image.thumbnail(PREVIEW_BOX, reducing_gap=2.0)
            flat = _flat_rgb(image)
    out = io.BytesIO()
    flat.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _flat_rgb(image: Image.Image) -> Image.Image:
    """The picture on white, without transparency (JPEG has none)."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image if image.mode == "RGB" else image.convert("RGB")
