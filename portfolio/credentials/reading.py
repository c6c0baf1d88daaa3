"""Read a credential someone presents for checking: JSON text, a JSON file or a baked PNG."""

from __future__ import annotations

import json

from .baking import PNG_SIGNATURE, NotBaked, unbake
from .forms import MAX_CREDENTIAL_BYTES


class Unreadable(ValueError):
    """What was presented cannot be read as a credential; the message says why."""


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def presented_document(upload: bytes | None, pasted: str | None) -> dict:
    """The presented credential as a JSON object, or Unreadable with a message for people."""
    if upload:
        if len(upload) > MAX_CREDENTIAL_BYTES:
            raise Unreadable("That file is larger than any credential this site issues.")
        if upload.startswith(PNG_SIGNATURE):
            try:
                text = unbake(upload, MAX_CREDENTIAL_BYTES)
            except NotBaked as error:
                raise Unreadable(str(error)) from error
        else:
            try:
                text = upload.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise Unreadable("That file is neither a credential’s JSON nor a PNG badge.") \
                    from error
    else:
        text = pasted or ""
    if not text.strip():
        raise Unreadable("Choose a credential file or paste the credential’s JSON.")
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise Unreadable("That is not valid JSON, so it cannot be a credential.") from error
    if not isinstance(value, dict):
        raise Unreadable("That JSON is not a credential (a credential is a JSON object).")
    return value
