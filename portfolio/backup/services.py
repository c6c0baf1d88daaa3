"""Create and restore consistent backups: database + evidence files + checksum manifest.

A backup is a folder: `database.sqlite` (SQLite online backup API) or `database.dump`
(`pg_dump -Fc`), `uploads/` (a copy of every evidence file) and `manifest.json` (size and
SHA-256 of every file). Restore verifies every checksum before it changes anything.
pg_dump and pg_restore run with a fixed argument list and no shell.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy.engine import make_url

from ..errors import DomainError
from ..extensions import db

MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class BackupError(DomainError):
    """A backup could not be made or restored; nothing was changed."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _database_url():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _pg_environment(url) -> dict[str, str]:
    """libpq settings as environment variables, so no password appears on a command line."""
    env = dict(os.environ)
    env.update({"PGHOST": url.host or "localhost", "PGPORT": str(url.port or 5432),
                "PGUSER": url.username or "", "PGDATABASE": url.database or ""})
    if url.password:
        env["PGPASSWORD"] = url.password
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found; install the PostgreSQL client tools.")
    return found


def create_backup(destination: Path | None = None) -> Path:
    """Write a backup folder and return its path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = Path(destination or Path(current_app.config["BACKUP_FOLDER"]) / f"backup-{stamp}")
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} already exists and is not empty.")
    folder.mkdir(parents=True, exist_ok=True)
    url = _database_url()
    db.session.commit()  # nothing of ours pending while the snapshot is taken
    if url.get_backend_name() == "sqlite":
        _backup_sqlite(Path(url.database), folder / "database.sqlite")
    else:
        _run([_pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(folder / "database.dump")],
             _pg_environment(url))
    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    if uploads.exists():
        shutil.copytree(uploads, folder / "uploads", dirs_exist_ok=True)
    else:
        (folder / "uploads").mkdir()
    _write_manifest(folder, url.get_backend_name())
    return folder


def _backup_sqlite(source: Path, target: Path) -> None:
    # The online backup API copies a consistent snapshot even while others write (WAL).
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
    copy.close()


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603  # nosec B603
        command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[:500]}")


def _write_manifest(folder: Path, backend: str) -> None:
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        files[relative] = {"size": path.stat().st_size, "sha256": file_sha256(path)}
    manifest = {"created_at": datetime.now(UTC).isoformat(), "database": backend,
                "files": files}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))


def verify_backup(folder: Path) -> dict:
    """Check every file against the manifest; raise BackupError on any difference."""
    manifest_path = Path(folder) / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{folder} has no {MANIFEST}; it is not a backup.")
    manifest = json.loads(manifest_path.read_text())
    for relative, facts in manifest["files"].items():
        path = Path(folder) / relative
        if ".." in Path(relative).parts or not path.is_file():
            raise BackupError(f"{relative} is missing from the backup.")
        if path.stat().st_size != facts["size"] or file_sha256(path) != facts["sha256"]:
            raise BackupError(f"{relative} does not match its checksum; the backup is damaged.")
    return manifest


def restore_backup(folder: Path) -> dict:
    """Replace the database and evidence files with the backup's (after verifying it)."""
    folder = Path(folder)
    manifest = verify_backup(folder)
    url = _database_url()
    if manifest["database"] != url.get_backend_name():
        raise BackupError(f"This backup is of a {manifest['database']} database; the app uses "
                          f"{url.get_backend_name()}.")
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        _restore_sqlite(folder / "database.sqlite", Path(url.database))
    else:
        _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "-d", url.database, str(folder / "database.dump")], _pg_environment(url))
    _restore_uploads(folder / "uploads", Path(current_app.config["UPLOAD_FOLDER"]))
    db.engine.dispose()
    return manifest


def _restore_sqlite(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as copy, sqlite3.connect(target) as live:
        copy.backup(live)
    live.close()


def _restore_uploads(source: Path, target: Path) -> None:
    staging = target.with_name(target.name + ".restoring")
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(source, staging)
    previous = target.with_name(target.name + ".previous")
    if previous.exists():
        shutil.rmtree(previous)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    if previous.exists():
        shutil.rmtree(previous)
