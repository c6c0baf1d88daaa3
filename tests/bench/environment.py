"""What the figures were measured on: commit, machine, database versions, and the load average
sampled while the benchmark ran (other work on the machine inflates every time)."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import subprocess
import threading
from importlib import metadata
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]


def git_commit() -> dict:
    def git(*args) -> str:
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                                check=False)
        return result.stdout.strip()

    return {"commit": git("rev-parse", "HEAD") or "unknown",
            "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no"))}


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_gb() -> float | None:
    meminfo = Path("/proc/meminfo")
    if not meminfo.exists():
        return None
    kb = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
    return round(kb / 1024 / 1024, 1)


def machine(wrk: str | None) -> dict:
    return {"platform": platform.platform(), "cpu_count": os.cpu_count(),
            "cpu_model": cpu_model(), "memory_gb": memory_gb(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "gunicorn": metadata.version("gunicorn"), "sqlalchemy": metadata.version("sqlalchemy"),
            "flask": metadata.version("flask"), "wrk": wrk}


def postgres_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def postgres_version(url: str) -> str:
    engine = create_engine(postgres_url(url))
    try:
        with engine.connect() as connection:
            return connection.scalar(text("SHOW server_version"))
    finally:
        engine.dispose()


def empty_postgres(url: str) -> None:
    """Drop everything in the benchmark's own database so each run seeds the same data."""
    engine = create_engine(postgres_url(url))
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def load_average() -> float:
    return os.getloadavg()[0]


class LoadSampler:
    """Sample the one-minute load average every few seconds in a background thread."""

    def __init__(self, every: float = 2.0):
        self.every = every
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            self.samples.append(load_average())
            if self._stop.wait(self.every):
                return

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict:
        samples = self.samples or [load_average()]
        return {"one_minute_min": min(samples), "one_minute_mean":
                round(statistics.fmean(samples), 2), "one_minute_max": max(samples),
                "samples": len(samples), "cpu_count": os.cpu_count()}
