"""Migration 0010 fills the progress table from the sign-offs, claims and requests already stored."""

from flask_migrate import upgrade
from sqlalchemy import text

from portfolio import create_app
from portfolio.extensions import db
from tests.conftest import base_config
from tests.core.test_migrations import PREVIOUS_HEAD_ROWS, empty_database  # noqa: F401


def test_upgrade_fills_progress_from_existing_requests_and_claims(tmp_path, empty_database):  # noqa: F811
    app = create_app(base_config(tmp_path, empty_database))
    with app.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as connection:
            for statement in PREVIOUS_HEAD_ROWS:
                connection.execute(text(statement.format(now="CURRENT_TIMESTAMP")))
            connection.execute(text(
                "INSERT INTO entry_competencies (id, entry_id, competency_id) VALUES (1, 1, 1)"))
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT candidate_id, competency_code, claimed, awaiting_review, "
                "developer_signoffs, peer_signoffs FROM competency_progress")).all()
        assert [tuple(row) for row in rows] == [(1, "VP1", True, True, 0, 0)]
        db.engine.dispose()
