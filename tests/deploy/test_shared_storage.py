"""Two app hosts and a worker, each with its own instance folder, over one database and one
shared store (configured only through the environment, as the README's deployment does)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from portfolio import create_app
from portfolio.extensions import db
from tests.conftest import IsolatedClient, fresh_database_uri
from tests.exports.builders import seeded_cohort
from tests.factories import sign_in

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hosts(database_template, tmp_path, monkeypatch):
    """Environment per host: its own PORTFOLIO_INSTANCE_PATH, shared uploads and exports."""
    shared = tmp_path / "shared"  # the one mount every host and worker sees
    common = {
        "DATABASE_URL": fresh_database_uri(database_template, tmp_path),
        "PORTFOLIO_SECRET_KEY": "shared-secret-" + "k" * 32,
        "PORTFOLIO_UPLOAD_FOLDER": str(shared / "uploads"),
        "PORTFOLIO_EXPORT_FOLDER": str(shared / "exports"),
    }
    for key in [k for k in os.environ if k.startswith("PORTFOLIO_")]:
        monkeypatch.delenv(key)
    apps = []

    def environment(name: str) -> dict:
        return {**common, "PORTFOLIO_INSTANCE_PATH": str(tmp_path / name / "instance")}

    def start(name: str):
        for key, value in environment(name).items():
            monkeypatch.setenv(key, value)
        app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
        app.test_client_class = IsolatedClient
        apps.append(app)
        return app

    yield start, environment, tmp_path
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_an_archive_built_by_the_worker_beside_host_a_downloads_from_host_b(hosts):
    start, environment, tmp_path = hosts
    host_a = start("host-a")
    with host_a.app_context():
        from portfolio.reference_data import ensure_reference_data

        ensure_reference_data()
        s = seeded_cohort()
        db.session.commit()
        lead_token, cohort_id, plan_sha = s.lead.session_token, s.cohort.id, s.plan.sha256
    requested = sign_in_as(host_a, lead_token).post(f"/exports/cohorts/{cohort_id}/archive")
    assert requested.status_code == 302
    job_id = int(requested.headers["Location"].rstrip("/").split("/")[-1])

    worker_dir = tmp_path / "worker"  # a working directory of its own, beside host A
    worker_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FLASK_APP")}
    env.update(environment("worker"), PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "portfolio", "worker",
                             "--once"], cwd=worker_dir, env=env, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "1 job" in result.stdout, result.stdout

    host_b = start("host-b")
    download = sign_in_as(host_b, lead_token).get(f"/exports/jobs/{job_id}/download")
    assert download.status_code == 200, download.headers.get("Location")
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        names = archive.namelist()
        assert any(name.endswith("/manifest.json") for name in names)
        [plan] = [name for name in names if name.endswith("/evidence/Block start plan.pdf")]
        import hashlib

        assert hashlib.sha256(archive.read(plan)).hexdigest() == plan_sha
    for name in ("host-a", "host-b", "worker"):  # nothing landed in a host's own folders
        local = tmp_path / name / "instance"
        assert not any((local / "exports").glob("*")) and not any((local / "uploads").glob("*"))


def sign_in_as(app, session_token: str):
    client = app.test_client()

    class Token:  # sign_in only needs the token the session cookie carries
        pass

    user = Token()
    user.session_token = session_token
    return sign_in(client, user)
