"""On PostgreSQL a request that only read ends its transaction with COMMIT, so psycopg keeps
the statements it prepared (it forgets them all at a ROLLBACK); a request that wrote anything
and did not commit still rolls back (portfolio/database.py, `end_reads_with_commit`)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from portfolio.extensions import db
from portfolio.programmes.models import Specialism
from tests.conftest import USE_POSTGRES
from tests.factories import make_user, sign_in


def _probe_app(make_app):
    app = make_app()

    def flushed_only():  # the ORM wrote, flushed, and the request never committed
        db.session.add(Specialism(name="Probe flushed", position=99))
        db.session.flush()
        return "flushed"

    def core_write():  # a Core statement wrote, and the request never committed
        db.session.execute(text("UPDATE specialisms SET position = 77"))
        return "updated"

    def pending_only():  # added, never flushed
        db.session.add(Specialism(name="Probe pending", position=98))
        return "pending"

    def failed():
        db.session.scalar(select(func.count(Specialism.id)))
        raise RuntimeError("the view failed")

    for view in (flushed_only, core_write, pending_only, failed):
        app.add_url_rule(f"/probe/{view.__name__}", view.__name__, view)
    return app


def test_a_request_that_wrote_without_committing_still_rolls_back(make_app):
    app = _probe_app(make_app)
    client = app.test_client()
    with app.app_context():
        before = db.session.scalar(select(func.count(Specialism.id)))
        positions = set(db.session.scalars(select(Specialism.position)))
    assert client.get("/probe/flushed_only").status_code == 200
    assert client.get("/probe/core_write").status_code == 200
    assert client.get("/probe/pending_only").status_code == 200
    assert client.get("/probe/failed").status_code == 500
    with app.app_context():
        assert db.session.scalar(select(func.count(Specialism.id))) == before
        assert set(db.session.scalars(select(Specialism.position))) == positions


@pytest.mark.postgres_only
@pytest.mark.skipif(not USE_POSTGRES, reason="prepared statements of psycopg on PostgreSQL")
def test_read_only_requests_keep_their_prepared_statements(make_app):
    app = make_app()
    with app.app_context():
        user = make_user(email="reader@example.org")
        db.session.commit()
        client = sign_in(app.test_client(), user)
    for _ in range(8):  # psycopg prepares a statement at its fifth run on a connection
        assert client.get("/notifications/").status_code == 200
    with app.app_context():
        connection_pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        prepared = db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
    assert connection_pid and prepared > 0
