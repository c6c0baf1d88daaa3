"""On PostgreSQL, the main pages' queries use indexes on the large tables, not sequential scans.

The tables are filled to a realistic size first (about 20,000 entries with their versions,
comments, sign-offs and review requests, plus 20,000 evidence items, notifications and audit
events): with a
handful of rows the planner rightly prefers a sequential scan, so a small database proves
nothing. Each page is requested once while its statements are recorded, and each recorded
SELECT is then EXPLAINed with the parameters it was sent with.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import insert, select, text

from portfolio.audit.models import AuditEvent
from portfolio.auth.models import User
from portfolio.database import utcnow
from portfolio.demo.scale import ScaleOptions, scale_framework_id, seed_scale
from portfolio.evidence.models import Evidence
from portfolio.extensions import db
from portfolio.notifications.models import Notification
from tests.conftest import USE_POSTGRES
from tests.factories import make_user, sign_in
from tests.performance.test_query_counts import PAGES
from tests.performance.worlds import StatementRecorder, build_world

pytestmark = pytest.mark.skipif(not USE_POSTGRES, reason="EXPLAIN plans are PostgreSQL's")

LARGE_TABLES = ("entries", "entry_versions", "comments", "signoffs", "evidence",
                "notifications", "audit_events", "review_requests")
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
# A lead's dashboard counts the open requests of every cohort: most rows qualify, so reading
# the table is the right plan there (its statement count is guarded in test_query_counts).
WHOLE_TABLE_PAGES = {"lead's dashboard"}


def fill_large_tables() -> None:
    seed_scale(ScaleOptions(years=1, cohorts=10, candidates=50, entries=40, seed=9,
                            files=False), scale_framework_id())
    user_ids = db.session.scalars(select(User.id).order_by(User.id)).all()
    now = utcnow()
    db.session.execute(insert(Evidence.__table__), [{
        "owner_id": user_ids[index % len(user_ids)], "kind": "link", "title": "Match video",
        "description": "", "url": f"https://video.example/{index}", "category": "video",
        "size_bytes": 0, "has_thumbnail": False, "created_at": now, "updated_at": now}
        for index in range(20_000)])
    db.session.execute(insert(Notification.__table__), [{
        "user_id": user_ids[index % len(user_ids)], "kind": "comment",
        "message": "New comment", "link": "/notifications/", "created_at":
        now - timedelta(minutes=index), "read_at": now if index % 3 else None}
        for index in range(20_000)])
    db.session.execute(insert(AuditEvent.__table__), [{
        "occurred_at": now - timedelta(minutes=index), "actor_id": user_ids[index % len(user_ids)],
        "actor_label": "user", "action": "entry.published", "target_type": "Entry",
        "target_id": index, "cohort_id": 1 + index % 10, "summary": ""}
        for index in range(20_000)])
    db.session.commit()


def sequential_scans(statement: str, parameters) -> list[str]:
    plan = db.session.connection().exec_driver_sql(f"EXPLAIN {statement}", parameters)
    lines = [row[0] for row in plan]
    return [f"{name}: {' '.join(statement.split())[:200]}\n    " + "\n    ".join(lines)
            for line in lines for name in SEQ_SCAN.findall(line) if name in LARGE_TABLES]


def test_main_pages_do_not_scan_large_tables(app):
    fill_large_tables()
    lead = make_user(lead=True)
    db.session.commit()
    world = build_world(1)
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    problems = []
    for page, (role, path_for) in PAGES.items():
        if page in WHOLE_TABLE_PAGES:
            continue
        viewer = lead if role == "lead" else getattr(world, role)
        client = sign_in(app.test_client(), viewer)
        with StatementRecorder(db.engine) as recorder:
            assert client.get(path_for(world)).status_code == 200
        for statement, parameters in recorder.executed:
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                problems += [f"{page} — {scan}" for scan in
                             sequential_scans(statement, parameters)]
    db.session.rollback()
    assert not problems, "sequential scans of large tables:\n" + "\n".join(problems)
