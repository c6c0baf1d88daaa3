"""Migration 0011: entries stored "returned" after a completed review become "reviewed";
entries a reviewer really returned stay "returned"."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from portfolio import create_app
from portfolio.extensions import db
from tests.conftest import base_config
from tests.core.test_migrations import PREVIOUS_HEAD_ROWS, empty_database  # noqa: F401

SECOND_ENTRY = [
    "INSERT INTO entries (id, owner_id, cohort_id, title, session_type, event_group, athletes,"
    " reflection_model, sections, privacy, status, review_status, latest_version_number, "
    "working_hash, lock_version, created_at, updated_at) VALUES (2, 1, 1, 'Relays', "
    "'training', '', '', 'free', '{{}}', 'peers', 'published', 'returned', 1, 'h', 1, "
    "{now}, {now})",
    "INSERT INTO entry_versions (id, entry_id, number, title, content, content_hash, "
    "created_at, note) VALUES (2, 2, 1, 'Relays', '{{}}', 'h', {now}, '')",
    "INSERT INTO review_requests (id, entry_id, entry_version_id, candidate_id, cohort_id, "
    "status, due_on, message, overall_feedback, created_at, lock_version) VALUES "
    "(2, 2, 2, 1, 1, 'returned', '2026-10-01', '', '', {now}, 1)",
]


def _statuses(connection) -> dict:
    return dict(connection.execute(text("SELECT id, review_status FROM entries")).all())


def test_completed_reviews_read_reviewed_and_real_returns_stay(tmp_path, empty_database):  # noqa: F811
    app = create_app(base_config(tmp_path, empty_database))
    with app.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as connection:
            for statement in PREVIOUS_HEAD_ROWS + SECOND_ENTRY:
                connection.execute(text(statement.format(now="CURRENT_TIMESTAMP")))
        upgrade(revision="0010")
        with db.engine.begin() as connection:
            # Entry 1's review was completed with a "not yet": stored "returned" before 0011.
            connection.execute(text("UPDATE review_requests SET status = 'completed' WHERE id = 1"))
            connection.execute(text("UPDATE entries SET review_status = 'returned' WHERE id = 1"))
        upgrade(revision="0011")
        with db.engine.connect() as connection:
            assert _statuses(connection) == {1: "reviewed", 2: "returned"}
        downgrade(revision="0010")
        with db.engine.connect() as connection:
            assert _statuses(connection) == {1: "returned", 2: "returned"}
        db.engine.dispose()
