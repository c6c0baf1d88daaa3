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
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
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
