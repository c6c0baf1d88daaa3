"""Per-request facts about the signed-in person that the header needs (an unread count, a flag
for a link), read in the statement that loads the person and kept for the request.

Features register a fact with `Registry.add_viewer_fact` (a scalar SQL expression over the
person's id, and the models whose writes make it stale); `auth.viewer.load_viewer` reads them
all with the person. A flush or bulk write touching one of those models, or a rollback, forgets
the facts, and `viewer_fact` then asks its fallback, so a request always sees its own writes.
Outside a request nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from .registry import registry_of

KEY = "viewer_facts"


def remember_viewer_facts(facts: dict) -> None:
    if has_request_context():
        g.setdefault(KEY, {}).update(facts)


def viewer_fact(name: str, compute: Callable):
    """The fact as read with the signed-in person, or `compute()` when it is not known (any
    more)."""
    facts = g.get(KEY, {}) if has_request_context() else {}
    if name not in facts:
        value = compute()
        if has_request_context():
            g.setdefault(KEY, {})[name] = value
        return value
    return facts[name]


def _stale_tables() -> tuple:
    return tuple(model for fact in registry_of().viewer_facts for model in fact.tables)


@event.listens_for(Session, "after_flush")
def _forget_on_flush(session, _context) -> None:
    if not (has_request_context() and KEY in g):
        return
    tables = _stale_tables()
    if any(isinstance(item, tables) for item in (*session.new, *session.dirty, *session.deleted)):
        g.pop(KEY, None)


@event.listens_for(Session, "do_orm_execute")
def _forget_on_bulk_write(orm_execute_state) -> None:
    if (orm_execute_state.is_update or orm_execute_state.is_delete) and has_request_context():
        g.pop(KEY, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(_session, _previous_transaction) -> None:
    if has_request_context():
        g.pop(KEY, None)
