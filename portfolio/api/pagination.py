"""Cursor pagination: every list is ordered by id and walked with an opaque cursor.

A cursor holds the last id a page returned, so a client walking page by page sees every row
that existed when it started exactly once, even while new rows are added behind it.
"""

from __future__ import annotations

import base64
import binascii
import json

from ..extensions import db
from .problems import ApiProblem


def encode_cursor(last_id: int) -> str:
    raw = json.dumps({"after": last_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        after = json.loads(base64.urlsafe_b64decode(padded.encode()))["after"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        after = None
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after < 2**31:
        raise ApiProblem(422, "The cursor is not one this API gave out.")
    return after


def page_of(model, statement, *, cursor: str | None, limit: int, updated_since=None,
            updated_column=None) -> dict:
    """One page of `statement` (already filtered to what the viewer may see)."""
    after = decode_cursor(cursor)
    statement = statement.where(model.id > after)
    if updated_since is not None:
        statement = statement.where((updated_column if updated_column is not None
                                     else model.updated_at) >= updated_since)
    rows = list(db.session.scalars(statement.order_by(model.id).limit(limit + 1)).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": encode_cursor(rows[-1].id) if more else None}
