"""Migrations build exactly the models' schema, upgrade from empty and downgrade to base."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DatabaseError

from portfolio import create_app
from portfolio.extensions import db
from portfolio.search.schema import is_search_object
from tests.conftest import USE_POSTGRES, _pg_url, base_config


@pytest.fixture
def empty_database(tmp_path):
    """A database with nothing in it: a new SQLite file, or a new schema on PostgreSQL."""
    if not USE_POSTGRES:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    schema = f"migrations_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_pg_url())
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield _pg_url() + ("&" if "?" in _pg_url() else "?") + f"options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_upgrade_from_empty_matches_models_then_downgrades_to_base(tmp_path, empty_database):
    app = create_app(base_config(tmp_path, empty_database))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            # The full-text index (FTS5 tables, the tsvector column) is the database's own,
            # installed by SQL the models do not describe (portfolio/search/schema.py).
            context = MigrationContext.configure(connection, opts={
                "include_name": lambda name, kind, parent: not is_search_object(name)})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations differ: {differences}"
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO audit_events (occurred_at, actor_label, action, summary) "
                "VALUES (CURRENT_TIMESTAMP, 'system', 'test', '')"))
        with pytest.raises(DatabaseError), db.engine.begin() as connection:
            connection.execute(text("UPDATE audit_events SET action = 'forged'"))
        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        upgrade()  # and back up again from base
        db.engine.dispose()


PREVIOUS_HEAD_ROWS = [
    "INSERT INTO users (id, email, display_name, active, is_admin, is_programme_lead, "
    "session_token, email_preference, created_at, updated_at) VALUES "
    "(1, 'coach@example.test', 'Coach', true, false, false, 't1', 'off', {now}, {now})",
    "INSERT INTO programme_years (id, label, starts_on, ends_on, status, created_at, updated_at)"
    " VALUES (1, '2026-2027', '2026-09-01', '2027-08-31', 'active', {now}, {now})",
    "INSERT INTO pathways (id, name, position, active) VALUES (1, 'Talent', 0, true)",
    "INSERT INTO frameworks (id, name, version, status, description, created_at, updated_at) "
    "VALUES (1, 'F', 1, 'published', '', {now}, {now})",
    "INSERT INTO competency_areas (id, framework_id, position, title, description) "
    "VALUES (1, 1, 0, 'Area', '')",
    "INSERT INTO competencies (id, framework_id, area_id, position, code, title, description, "
    "evidence_guidance, developer_signoffs_required, peer_signoffs_required) "
    "VALUES (1, 1, 1, 0, 'VP1', 'Plan', '', '', 1, 0)",
    "INSERT INTO cohorts (id, year_id, pathway_id, framework_id, name, onboarding_on, ends_on, "
    "turnaround_days, capacity, created_at, updated_at) VALUES "
    "(1, 1, 1, 1, 'Talent', '2026-09-01', '2027-08-31', 14, 30, {now}, {now})",
    "INSERT INTO entries (id, owner_id, cohort_id, title, session_type, event_group, athletes,"
    " reflection_model, sections, privacy, status, review_status, latest_version_number, "
    "working_hash, lock_version, created_at, updated_at) VALUES (1, 1, 1, 'Blocks', "
    "'training', '', '', 'free', '{{}}', 'peers', 'published', 'submitted', 1, 'h', 1, "
    "{now}, {now})",
    "INSERT INTO entry_versions (id, entry_id, number, title, content, content_hash, "
    "created_at, note) VALUES (1, 1, 1, 'Blocks', '{{}}', 'h', {now}, '')",
    "INSERT INTO review_requests (id, entry_id, entry_version_id, candidate_id, cohort_id, "
    "status, due_on, message, overall_feedback, created_at, lock_version) VALUES "
    "(1, 1, 1, 1, 1, 'open', '2026-10-01', '', '', {now}, 1)",
    "INSERT INTO review_request_competencies (id, request_id, competency_id) VALUES (1, 1, 1)",
]


def test_upgrade_from_the_previous_head_keeps_existing_rows(tmp_path, empty_database):
    app = create_app(base_config(tmp_path, empty_database))
    with app.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as connection:
            for statement in PREVIOUS_HEAD_ROWS:
                connection.execute(text(statement.format(now="CURRENT_TIMESTAMP")))
        upgrade()
        with db.engine.connect() as connection:
            for table in ("entries", "entry_versions", "review_requests",
                          "review_request_competencies"):
                count = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                assert count == 1, f"{table} lost rows in the upgrade"
            assert connection.execute(text("SELECT pending_privacy FROM entries")).scalar() == ""
        with pytest.raises(DatabaseError), db.engine.begin() as connection:
            connection.execute(text("UPDATE entry_versions SET title = 'rewritten'"))
        db.engine.dispose()
