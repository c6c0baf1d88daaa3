"""Baked badges: a PNG image carrying the credential in an iTXt chunk (Open Badges 3.0 baking).

Reading walks the PNG's chunks itself and never decodes pixels, so a decompression bomb costs
nothing; a compressed iTXt is inflated only up to the size limit.
"""

from __future__ import annotations

import io
import json
import struct
import zlib

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

KEYWORD = "openbadgecredential"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SIZE = 600
BRAND, BRAND_DARK, GOLD, WHITE = "#0b3d62", "#072a44", "#ffdd00", "#ffffff"


class NotBaked(ValueError):
    """The file is not a PNG, or carries no credential."""


def bake(document: dict, year_label: str, pathway: str) -> bytes:
    """Draw the badge and put the credential's JSON in its `openbadgecredential` iTXt chunk."""
    image = _draw(year_label, pathway)
    info = PngInfo()
    info.add_itxt(KEYWORD, json.dumps(document, ensure_ascii=False, separators=(",", ":")))
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info, optimize=True)
    return out.getvalue()


def _draw(year_label: str, pathway: str) -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, SIZE - 10, SIZE - 10), fill=GOLD)
    draw.ellipse((34, 34, SIZE - 34, SIZE - 34), fill=BRAND)
    draw.ellipse((60, 60, SIZE - 60, SIZE - 60), outline=WHITE, width=3)
    middle = SIZE // 2
    for text, size, y, colour in (("ADVANCED", 62, middle - 92, WHITE),
                                  ("COACH", 84, middle - 18, WHITE),
                                  (pathway.upper()[:24], 30, middle + 58, GOLD),
                                  (year_label, 44, middle + 112, WHITE)):
        font = ImageFont.load_default(size=size)
        draw.text((middle, y), text, font=font, fill=colour, anchor="mm")
    draw.rectangle((150, middle + 28, SIZE - 150, middle + 31), fill=GOLD)
    return image


def unbake(data: bytes, limit: int) -> str:
    """The credential text of a baked PNG, read from its chunks (at most `limit` bytes)."""
    if not data.startswith(PNG_SIGNATURE):
        raise NotBaked("This file is not a PNG image.")
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if len(body) < length:
            break
        if kind == b"iTXt":
            text = _itxt_text(body, limit)
            if text is not None:
                return text
        if kind == b"IEND":
            break
        position += 12 + length  # length, type, data, CRC
    raise NotBaked("This PNG image does not carry an Open Badges credential.")


def _itxt_text(body: bytes, limit: int) -> str | None:
    keyword, separator, rest = body.partition(b"\x00")
    if not separator or keyword != KEYWORD.encode() or len(rest) < 2:
        return None
    compressed, _method, rest = rest[0], rest[1], rest[2:]
    _language, _, rest = rest.partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if compressed:
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(text, limit + 1)
        except zlib.error as error:
            raise NotBaked("The credential in this PNG image is damaged.") from error
    if len(text) > limit:
        raise NotBaked("The credential in this PNG image is too large.")
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotBaked("The credential in this PNG image is not readable text.") from error
