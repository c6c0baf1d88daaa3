"""Re-encode uploaded images so nothing but pixels survives (no EXIF, GPS or XMP: athletes are
often minors), after turning them the way the camera meant, and make a thumbnail."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import DomainError
from ..storage import StagedFile
from .filetypes import FileType

THUMBNAIL_BOX = (480, 480)
PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}


@dataclass
class ImageFacts:
    width: int
    height: int


def reencode(staged: StagedFile, filetype: FileType, max_pixels: int) -> ImageFacts:
    """Replace the staged image by a clean re-encoding and add a `.thumb` variant beside it."""
    pillow_format = PILLOW_FORMATS[filetype.key]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(staged.path, formats=[pillow_format]) as original:
                _check_pixels(original, max_pixels)
                icc_profile = original.info.get("icc_profile")
                upright = ImageOps.exif_transpose(original)
                upright.info = {}  # drop EXIF, XMP, text chunks and comments with it
                _save(upright, staged, pillow_format, icc_profile)
                _save_thumbnail(upright, staged)
                return ImageFacts(upright.width, upright.height)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(max_pixels) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise DomainError("The image could not be read. It may be damaged or only partly "
                          "uploaded; try exporting it again from your phone or camera.",
                          field="files") from error


def _check_pixels(image: Image.Image, max_pixels: int) -> None:
    if image.width * image.height > max_pixels:
        raise _too_many_pixels(max_pixels)


def _too_many_pixels(max_pixels: int) -> DomainError:
    megapixels = max_pixels // 1_000_000
    return DomainError(f"The image is too large: pictures can have up to {megapixels} "
                       "megapixels. Resize it (most phones can share a smaller copy) and upload "
                       "it again.", field="files")


def _save(image: Image.Image, staged: StagedFile, pillow_format: str, icc_profile) -> None:
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if pillow_format == "JPEG":
        image = image if image.mode in ("RGB", "L") else image.convert("RGB")
        options.update(quality=88)
    elif pillow_format == "WEBP":
        image = image if image.mode in ("RGB", "RGBA") else image.convert("RGBA")
        options.update(quality=88)
    temporary = staged.path.with_name(staged.path.name + ".tmp")
    try:
        image.save(temporary, format=pillow_format, **options)
        os.replace(temporary, staged.path)
    finally:
        temporary.unlink(missing_ok=True)
    staged.size = staged.path.stat().st_size


def _save_thumbnail(image: Image.Image, staged: StagedFile) -> None:
    thumbnail = image.copy()
    thumbnail.thumbnail(THUMBNAIL_BOX, reducing_gap=3.0)
    if thumbnail.mode in ("RGBA", "LA", "P", "PA"):
        rgba = thumbnail.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        thumbnail = flat
    elif thumbnail.mode != "RGB":
        thumbnail = thumbnail.convert("RGB")
    thumbnail.save(staged.variant_path(".thumb"), format="JPEG", quality=80)
    staged.variants.append(".thumb")
