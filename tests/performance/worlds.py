"""Seed-scale worlds for the performance tests, and a statement recorder.

A world is one programme year with one cohort built by `seed_scale` (bulk inserts), grown by a
factor: at factor n it has 2n candidates with 3n entries each, and the watched candidate has
3n notifications, the watched entry 3n extra comments by different people, and the cohort 5n
audit events by different members. Pages are then compared between worlds of factor 1 and 10.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import event, func, insert, select

from portfolio.audit.models import AuditEvent
from portfolio.database import utcnow
from portfolio.demo.scale import ScaleOptions, scale_framework_id, seed_scale
from portfolio.entries.models import Entry
from portfolio.extensions import db
from portfolio.notifications.models import Notification
from portfolio.programmes.models import Cohort, CohortMembership
from portfolio.reviews.models import Comment, ReviewRequest, Signoff


class StatementRecorder:
    """Record (statement, parameters) for every SQL statement sent while the block runs."""

    def __init__(self, engine):
        self.engine = engine
        self.executed: list[tuple[str, object]] = []

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.executed.append((statement, parameters))

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len(self.executed)


def build_world(factor: int, *, candidates: int = 2, entries: int = 3) -> SimpleNamespace:
    """Seed one cohort at `factor` times the base size and return its watched people and ids."""
    # A fixed seed per size keeps the worlds identical run to run; this one gives the small
    # world at least one open review request and one sign-off, so no page section is empty.
    seed_scale(ScaleOptions(years=1, cohorts=1, candidates=candidates * factor,
                            entries=entries * factor, seed=100 + factor), scale_framework_id())
    cohort = db.session.scalar(select(Cohort).order_by(Cohort.id.desc()).limit(1))
    for model in (ReviewRequest, Signoff):
        assert db.session.scalar(select(func.count()).select_from(model).where(
            model.candidate_id.in_(select(CohortMembership.user_id).where(
                CohortMembership.cohort_id == cohort.id)))), f"no {model.__name__} in world"
    members = list(db.session.scalars(select(CohortMembership).where(
        CohortMembership.cohort_id == cohort.id).order_by(CohortMembership.id)))
    developer = next(m.user for m in members if m.role == "coach_developer")
    candidates_ = [m.user for m in members if m.role == "candidate"]
    candidate = candidates_[0]
    entry = db.session.scalar(select(Entry).where(
        Entry.owner_id == candidate.id, Entry.privacy != "private").order_by(Entry.id).limit(1))
    now = utcnow()
    _bulk(Notification, [{
        "user_id": candidate.id, "kind": "comment", "message": f"New comment {index}",
        "link": f"/portfolio/entries/{entry.id}", "created_at": now - timedelta(minutes=index),
        "read_at": now if index % 2 else None} for index in range(3 * factor)])
    commenters = [developer, *candidates_[1:]]
    _bulk(Comment, [{
        "entry_id": entry.id, "author_id": commenters[index % len(commenters)].id,
        "kind": "comment", "body": f"Comment {index} on the warm-up.", "what_worked": "",
        "what_to_try": "", "question": "", "version_number": 2,
        "created_at": now - timedelta(minutes=index)} for index in range(3 * factor)])
    _bulk(AuditEvent, [{
        "occurred_at": now - timedelta(minutes=index),
        "actor_id": members[index % len(members)].user_id,
        "actor_label": f"user #{members[index % len(members)].user_id}",
        "action": "entry.published", "target_type": "Entry", "target_id": entry.id,
        "cohort_id": cohort.id, "summary": f"version={index}"} for index in range(5 * factor)])
    db.session.commit()
    return SimpleNamespace(cohort_id=cohort.id, developer=developer, candidate=candidate,
                           entry_id=entry.id)


def _bulk(model, rows: list[dict]) -> None:
    db.session.execute(insert(model.__table__), rows)
