"""Canonical content hashing for entry versions and sign-offs."""

from __future__ import annotations

import hashlib
import json


def content_hash(content: dict) -> str:
    """SHA-256 of the canonical JSON form of a version's content."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
