"""A throw-away PostgreSQL cluster the fault tests may stop and start (never the shared one)."""

from __future__ import annotations

import os
import shutil
import subprocess  # nosec B404 - fixed commands for the test's own cluster
import time
from pathlib import Path

import pytest

PORT = int(os.environ.get("PORTFOLIO_FAULTS_PG_PORT", "5499"))
# One cluster per port: CI runs the SQLite and PostgreSQL passes at once, each with its own
# port, so one pass stopping its cluster never pulls the database from under the other.
CLUSTER = "portfolio_faults" if PORT == 5499 else f"portfolio_faults_{PORT}"
ROLE = DATABASE = "portfolio_faults"
PASSWORD = "portfolio_faults"  # noqa: S105 # nosec B105 - a local test cluster


def _run(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, capture_output=True, text=True,  # nosec B603
                          timeout=timeout)


def _version() -> str:
    versions = sorted((p.name for p in Path("/usr/lib/postgresql").iterdir()
                       if (p / "bin" / "postgres").exists()), key=lambda v: float(v))
    return versions[-1]


def require_tools() -> None:
    """Skip outside CI when the machine cannot run a cluster; in CI install what is missing."""
    in_ci = bool(os.environ.get("CI"))
    usable = os.geteuid() == 0 and shutil.which("pg_ctlcluster") and shutil.which("pg_createcluster")
    if usable:
        return
    if not in_ci:
        pytest.skip("needs root and pg_ctlcluster (runs in CI)")
    if os.geteuid() != 0:
        pytest.fail("CI must run the PostgreSQL fault test as root")
    _run("apt-get", "update", "-qq", timeout=600)
    subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=True,  # nosec B603
                   capture_output=True, timeout=900,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


class Cluster:
    def __init__(self) -> None:
        self.version = _version()
        self.url = f"postgresql+psycopg://{ROLE}:{PASSWORD}@127.0.0.1:{PORT}/{DATABASE}"

    def ensure(self) -> None:
        """Create and start the cluster if needed; remember whether it was already running."""
        listed = _run("pg_lsclusters", "-h").stdout.split()
        if CLUSTER not in listed:
            _run("pg_createcluster", self.version, CLUSTER, "--port", str(PORT))
        self.was_running = self._ready()
        self.start()
        self._psql(f"""DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN
                CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}';
              END IF; END $$;""")
        exists = self._psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'").strip()
        if not exists:
            self._psql(f"CREATE DATABASE {DATABASE} OWNER {ROLE}")

    def _psql(self, sql: str) -> str:
        return _run("runuser", "-u", "postgres", "--", "psql", "-p", str(PORT), "-tAq",
                    "-v", "ON_ERROR_STOP=1", "-c", sql).stdout

    def start(self) -> None:
        subprocess.run(["pg_ctlcluster", self.version, CLUSTER, "start"],  # nosec B603
                       capture_output=True, timeout=120)
        self._wait(ready=True)

    def stop(self) -> None:
        _run("pg_ctlcluster", self.version, CLUSTER, "stop", "-m", "fast")
        self._wait(ready=False)

    def leave_as_found(self) -> None:
        """Stop the cluster again if this test run started it (nothing lingers after CI)."""
        if getattr(self, "was_running", True):
            self.start()
        else:
            self.stop()

    def _ready(self) -> bool:
        return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p",  # nosec B603
                               str(PORT)], capture_output=True).returncode == 0

    def _wait(self, *, ready: bool) -> None:
        for _ in range(60):
            if self._ready() == ready:
                return
            time.sleep(0.5)
        raise RuntimeError(f"cluster {CLUSTER} did not become {'ready' if ready else 'stopped'}")
