"""The name a coach's file arrived with: checked before anything is stored, used only for display
and the download header (RFC 6266), never as a path on disk."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

from ..errors import DomainError

MAX_NAME_CHARS = 200
# Characters that reorder or hide text: "photo\u202egpj.exe" displays as "photoexe.jpg".
_INVISIBLE = {"\u061c", "\u200b", "\u200e", "\u200f", "\u2060", "\ufeff",
              *(chr(code) for code in range(0x202A, 0x202F)),
              *(chr(code) for code in range(0x2066, 0x206A))}


def check_filename(raw: str | None) -> str:
    """Return the upload's name in normal form, or raise DomainError explaining what is wrong."""
    if raw is None or not raw.strip():
        raise DomainError("Choose a file to upload.", field="files")
    if any(unicodedata.category(ch) == "Cc" for ch in raw):
        raise DomainError("The file name contains control characters. Rename the file using "
                          "letters, numbers and spaces, then upload it again.", field="files")
    if any(ch in _INVISIBLE for ch in raw):
        raise DomainError("The file name contains hidden characters that change how it is "
                          "displayed. Rename the file, then upload it again.", field="files")
    name = unicodedata.normalize("NFC", raw).strip()
    if "/" in name or "\\" in name:
        raise DomainError(f"“{display_name(name)}” is not a plain file name: it contains a "
                          "folder path or slash. Rename the file, then upload it again.",
                          field="files")
    if name.startswith("."):
        raise DomainError(f"“{display_name(name)}” starts with a dot. Give the file a name "
                          "before the extension, then upload it again.", field="files")
    if len(name) > MAX_NAME_CHARS:
        raise DomainError(f"The file name is longer than {MAX_NAME_CHARS} characters. Shorten "
                          "it, then upload it again.", field="files")
    return name


def extension_of(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,10}", suffix) else ""


def title_from(name: str) -> str:
    """A readable default title: the name without its extension."""
    stem = PurePosixPath(name).stem if extension_of(name) else name
    return " ".join(stem.replace("_", " ").split())[:200] or name[:200]


def display_name(name: str, limit: int = 80) -> str:
    """A short version of a name that is safe to show in a message."""
    cleaned = "".join(ch if unicodedata.category(ch) not in ("Cc", "Cf") else "?"
                      for ch in name)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"
