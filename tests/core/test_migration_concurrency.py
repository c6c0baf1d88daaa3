"""Migration 0006: duplicate open review requests left by the old race are closed, then the
one-open-request-per-entry index refuses new ones; existing goals start at lock_version 1."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from portfolio import create_app
from portfolio.extensions import db
from tests.conftest import base_config
from tests.core.test_migrations import PREVIOUS_HEAD_ROWS, empty_database  # noqa: F401

REQUEST = ("INSERT INTO review_requests (id, entry_id, entry_version_id, candidate_id, "
           "cohort_id, status, due_on, message, overall_feedback, created_at, lock_version) "
           "VALUES ({id}, {entry}, 1, 1, 1, '{status}', '2026-10-01', '', '', CURRENT_TIMESTAMP, 1)")
SECOND_ENTRY = (
    "INSERT INTO entries (id, owner_id, cohort_id, title, session_type, event_group, athletes,"
    " reflection_model, sections, privacy, status, review_status, latest_version_number, "
    "working_hash, lock_version, created_at, updated_at) VALUES (2, 1, 1, 'Relays', "
    "'training', '', '', 'free', '{}', 'peers', 'published', 'submitted', 1, 'h', 1, "
    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
GOAL = ("INSERT INTO goals (id, owner_id, title, description, status, privacy, created_at, "
        "updated_at) VALUES (1, 1, 'Indoor block', '', 'in_progress', 'developers', "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")


def statuses(connection) -> dict[int, str]:
    rows = connection.execute(text("SELECT id, status FROM review_requests ORDER BY id"))
    return dict(rows.all())


def test_duplicate_open_requests_are_closed_and_new_ones_refused(tmp_path, empty_database):  # noqa: F811
    app = create_app(base_config(tmp_path, empty_database))
    with app.app_context():
        upgrade(revision="0002")  # the schema PREVIOUS_HEAD_ROWS was written for
        with db.engine.begin() as connection:
            for statement in PREVIOUS_HEAD_ROWS:  # entry 1 with open request 1
                connection.execute(text(statement.format(now="CURRENT_TIMESTAMP")))
            connection.execute(text(SECOND_ENTRY))
            connection.execute(text(GOAL))
            for id_, entry, status in [(2, 1, "open"), (3, 1, "withdrawn"), (4, 2, "open"),
                                       (5, 2, "in_review"), (6, 2, "open"), (7, 2, "completed")]:
                connection.execute(text(REQUEST.format(id=id_, entry=entry, status=status)))
        upgrade()
        with db.engine.connect() as connection:
            # Entry 1 keeps its oldest open request; entry 2 keeps the one already in review.
            assert statuses(connection) == {1: "open", 2: "withdrawn", 3: "withdrawn",
                                            4: "withdrawn", 5: "in_review", 6: "withdrawn",
                                            7: "completed"}
            assert connection.execute(text("SELECT lock_version FROM goals")).scalar() == 1
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.execute(text(REQUEST.format(id=8, entry=1, status="open")))
        with db.engine.begin() as connection:  # closed requests are not limited
            connection.execute(text(REQUEST.format(id=9, entry=1, status="completed")))
        downgrade(revision="0005")
        with db.engine.begin() as connection:
            connection.execute(text(REQUEST.format(id=10, entry=1, status="open")))
        db.engine.dispose()
