"""Webhook deliveries about a person: in their personal-data download, deleted by erasure.

Endpoints name nobody. A delivery names the person it is about by id only (names are read
when it is sent), so after erasure nothing queued or kept can name them.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from ..extensions import db
from .models import WebhookDelivery

# Operational fields that say nothing about the person.
NOT_EXPORTED = frozenset({"locked_until", "response_excerpt", "last_error"})


def personal_deliveries(user_id: int, rows) -> list[dict]:
    """The events about them sent (or waiting) to the federation's systems."""
    return rows(select(WebhookDelivery).where(WebhookDelivery.subject_user_id == user_id),
                exclude=NOT_EXPORTED)


def erase_deliveries(user_id: int) -> int:
    """Delete the deliveries about them (queued ones are never sent); return how many."""
    result = db.session.execute(delete(WebhookDelivery).where(
        WebhookDelivery.subject_user_id == user_id))
    return result.rowcount or 0
