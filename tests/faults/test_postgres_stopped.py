"""PostgreSQL stops mid-run: friendly 503 pages, /readyz says so, and the app recovers.

Uses its own cluster (tests/faults/pg_cluster.py), never the one other tests share.
"""

from __future__ import annotations

import pytest

from portfolio import create_app
from portfolio.extensions import db
from tests.conftest import IsolatedClient, base_config, install_schema
from tests.factories import make_user, sign_in
from tests.faults.pg_cluster import Cluster, require_tools


@pytest.fixture(scope="module")
def started_cluster():
    require_tools()
    cluster = Cluster()
    cluster.ensure()
    yield cluster
    cluster.leave_as_found()


@pytest.fixture
def cluster(started_cluster):
    yield started_cluster
    started_cluster.start()  # whatever a test did, the next one finds it running


@pytest.fixture
def pg_app(cluster, tmp_path):
    install_schema(cluster.url)
    app = create_app(base_config(tmp_path, cluster.url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        from portfolio.reference_data import ensure_reference_data

        ensure_reference_data()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _friendly_503(response):
    body = response.get_data(as_text=True)
    assert response.status_code == 503, body[:500]
    assert "Sorry, the service is unavailable" in body
    assert "Traceback" not in body and "psycopg" not in body and "OperationalError" not in body


def test_database_stopped_mid_run_gives_503_then_recovers(cluster, pg_app):
    with pg_app.app_context():
        user = make_user(name="Coach Casey")
        db.session.commit()
        client = sign_in(pg_app.test_client(), user)
        db.session.remove()  # the test's own session holds no connection across the restart
        assert client.get("/account/settings").status_code == 200  # the pool holds a connection
        assert client.get("/readyz").get_json() == {"status": "ok", "database": "ok", "storage": "ok"}

        cluster.stop()
        _friendly_503(client.get("/account/settings"))
        _friendly_503(client.post("/account/settings", data={"email_preference": "off"}))
        assert pg_app.test_client().get("/account/login").status_code == 200  # needs no rows
        _friendly_503(pg_app.test_client().post(  # signing in does
            "/account/login", data={"email": "casey@example.test", "password": "whatever"}))
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.get_json()["database"] == "unreachable"
        assert client.get("/healthz").status_code == 200  # the process itself is fine

        cluster.start()
        # pool_pre_ping throws away the dead connections: the first request after works.
        assert client.get("/readyz").get_json() == {"status": "ok", "database": "ok", "storage": "ok"}
        response = client.get("/account/settings")
        assert response.status_code == 200
        assert "Coach Casey" in response.get_data(as_text=True)


def test_json_clients_get_a_json_503(cluster, pg_app):
    with pg_app.app_context():
        client = sign_in(pg_app.test_client(), make_user())
        db.session.commit()
        db.session.remove()
        assert client.get("/account/settings").status_code == 200
        cluster.stop()
        response = client.get("/account/settings", headers={"Accept": "application/json"})
        assert response.status_code == 503
        assert response.get_json()["error"] == "Sorry, the service is unavailable"
