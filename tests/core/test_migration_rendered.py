"""Migration 0005 renders the stored HTML of every version saved before it, batch by batch,
and leaves the versions' content as immutable as it was."""

import json

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from portfolio import create_app
from portfolio.extensions import db
from portfolio.text import render_markdown, render_sections
from tests.conftest import base_config
from tests.core import test_migrations
from tests.core.test_migrations import PREVIOUS_HEAD_ROWS

empty_database = test_migrations.empty_database  # the fixture: an empty SQLite file or schema

VERSIONS = 450  # more than one batch of the migration's 200

SECTIONS = {"what": "We worked on **block starts**.", "so_what": "[notes](/portfolio/)",
            "now_what": "<script>alert(1)</script>- one\n- two"}


def _version_rows() -> list[dict]:
    rows = []
    for number in range(1, VERSIONS + 1):
        sections = dict(SECTIONS, what=f"Version *{number}*")
        rows.append({"id": number, "number": number,
                     "content": json.dumps({"sections": sections, "title": "Blocks"})})
    return rows


def test_existing_versions_get_their_html_rendered_in_batches(tmp_path, empty_database):
    app = create_app(base_config(tmp_path, empty_database))
    with app.app_context():
        upgrade(revision="0004")
        with db.engine.begin() as connection:
            for statement in PREVIOUS_HEAD_ROWS[:-3]:  # up to the entry; versions below
                connection.execute(text(statement.format(now="CURRENT_TIMESTAMP")))
            connection.execute(text(
                "INSERT INTO entry_versions (id, entry_id, number, title, content, content_hash,"
                " created_at, note) VALUES (:id, 1, :number, 'Blocks', :content, 'h', "
                "CURRENT_TIMESTAMP, '')"), _version_rows())
            connection.execute(text(
                "INSERT INTO entry_versions (id, entry_id, number, title, content, content_hash,"
                " created_at, note) VALUES (9999, 1, 9999, 'Empty', '{}', 'h', "
                "CURRENT_TIMESTAMP, '')"))
            connection.execute(text(
                "INSERT INTO philosophy_statements (id, owner_id, body, privacy, "
                "latest_version_number, lock_version, created_at, updated_at) VALUES "
                "(1, 1, 'Athletes first', 'developers', 1, 1, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP)"))
            connection.execute(text(
                "INSERT INTO philosophy_versions (id, statement_id, number, body, content_hash,"
                " created_at) VALUES (1, 1, 1, 'Athletes **first**', 'h', CURRENT_TIMESTAMP)"))

        upgrade(revision="0005")

        with db.engine.connect() as connection:
            rendered = dict(connection.execute(text(
                "SELECT number, rendered FROM entry_versions")).all())
            body_html = connection.execute(text(
                "SELECT rendered FROM philosophy_versions")).scalar()
        rendered = {number: json.loads(value) if isinstance(value, str) else value
                    for number, value in rendered.items()}
        assert len(rendered) == VERSIONS + 1
        for number in (1, 200, 201, VERSIONS):
            assert rendered[number] == render_sections(dict(SECTIONS, what=f"Version *{number}*"))
        assert rendered[VERSIONS]["what"] == f"<p>Version <em>{VERSIONS}</em></p>"
        assert "<script" not in rendered[1]["now_what"]
        assert rendered[9999] == {}
        assert body_html == str(render_markdown("Athletes **first**"))

        with pytest.raises(DatabaseError), db.engine.begin() as connection:
            connection.execute(text("UPDATE entry_versions SET content = '{}' WHERE id = 1"))
        with pytest.raises(DatabaseError), db.engine.begin() as connection:
            connection.execute(text("UPDATE philosophy_versions SET body = 'x' WHERE id = 1"))
        with pytest.raises(DatabaseError), db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO philosophy_versions (id, statement_id, number, body, content_hash,"
                " created_at) VALUES (2, 1, 2, 'No HTML', 'h', CURRENT_TIMESTAMP)"))

        downgrade(revision="0004")
        columns = {column["name"] for column in inspect(db.engine).get_columns("entry_versions")}
        assert "rendered" not in columns
        with pytest.raises(DatabaseError), db.engine.begin() as connection:
            connection.execute(text("UPDATE entry_versions SET title = 'rewritten'"))
        db.engine.dispose()
