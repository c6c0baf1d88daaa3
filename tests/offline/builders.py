"""Sent-once keys for tests."""

from __future__ import annotations

import uuid

from portfolio.offline.services import create_once


def key_for_privacy(s):
    """The key the author's phone sent a form with (for the personal-data tests)."""
    create_once(s.author, str(uuid.uuid4()), "entry", lambda: s.plain_entry,
                lambda entry: f"/portfolio/entries/{entry.id}")
