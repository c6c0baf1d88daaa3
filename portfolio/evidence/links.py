"""Links from evidence pages to pages other features own."""

from __future__ import annotations

from flask import url_for
from werkzeug.routing import BuildError

# The entry page, owned by the entries feature.
ENTRY_ENDPOINT = "entries.show_entry"


def entry_url(entry) -> str | None:
    """The entry's page, or None while the entries feature has no such page."""
    try:
        return url_for(ENTRY_ENDPOINT, entry_id=entry.id)
    except BuildError:
        return None
