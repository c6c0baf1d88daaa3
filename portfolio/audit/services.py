"""Record audit events. Callers pass facts (ids, states), never reflection text or email
addresses: rows are append-only and must stay free of personal data that erasure would need
to remove."""

from __future__ import annotations

import re

from ..extensions import db
from .models import AuditEvent

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def one_line(value: object, limit: int = 200) -> str:
    """Flatten a value to one printable line so it cannot forge extra log lines."""
    text = _CONTROL.sub(" ", str(value)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record(action: str, *, actor=None, target=None, cohort_id: int | None = None,
           address: str | None = None, **details) -> AuditEvent:
    """Append an audit event (flushes, never commits)."""
    summary = ", ".join(f"{key}={one_line(value)}" for key, value in sorted(details.items()))
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        # The log outlives erasure and cannot be edited, so it names people only by account id.
        actor_label=f"user #{actor.id}" if getattr(actor, "id", None) else "system",
        action=one_line(action, 64),
        target_type=type(target).__name__ if target is not None else None,
        target_id=getattr(target, "id", None),
        cohort_id=cohort_id,
        summary=one_line(summary, 1000),
        address=one_line(address, 64) if address else None,
    )
    db.session.add(event)
    db.session.flush()
    return event
