"""One-time form keys: a form sent twice (a double click, a retried post) takes effect once.

Each rendering of a "create" form carries a fresh random key. The row the form creates stores
a hash of that key and of what the form said, under a unique index, so the database refuses a
second copy however closely the two requests overlap; text changed on the same page (after
going back) hashes differently and is stored as new.
"""

from __future__ import annotations

import hashlib
import json
import secrets

from wtforms import HiddenField

MAX_KEY_CHARS = 100


def new_form_key() -> str:
    return secrets.token_urlsafe(16)


class SentOnce:
    """Form mixin: a hidden `submission_key`, fresh on every page."""

    submission_key = HiddenField(default=new_form_key)


def submission_key(form_key: str | None, *said) -> str | None:
    """The stored key for a form's key and what it said; None when the form sent no key."""
    form_key = (form_key or "").strip()[:MAX_KEY_CHARS]
    if not form_key:
        return None
    payload = json.dumps([form_key, *said], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()
