"""Create and verify consistent backups: database + evidence files + checksum manifest.

A backup is a folder (0700, every file 0600): `database.sqlite` (SQLite online backup API) or
`database.dump` (`pg_dump -Fc`), `uploads/` (the evidence files) and `manifest.json` (size and
SHA-256 of every file). The evidence files copied are exactly those the database snapshot names,
read from that snapshot (PostgreSQL: in the transaction whose snapshot pg_dump uses; SQLite:
from the copy itself). A lease keeps files deleted meanwhile until the copy is done, and the
backup fails if any named file is missing or differs from its recorded checksum.
pg_dump and pg_restore run with a fixed argument list and no shell.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess  # nosec B404
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select, text
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import make_url

from .. import storage
from ..errors import DomainError
from ..evidence.models import Evidence
from ..extensions import db

MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite", "postgresql": "database.dump"}
CHUNK = 1024 * 1024
_UPLOAD_ENTRY = re.compile(r"^uploads/(?P<shard>[0-9a-f]{2})/(?P<key>[0-9a-f]{32})(\.thumb)?$")
_EVIDENCE_FILES = select(Evidence.id, Evidence.storage_key, Evidence.has_thumbnail,
                         Evidence.size_bytes, Evidence.sha256, Evidence.category).where(
    Evidence.kind == "file", Evidence.storage_key.is_not(None))


class BackupError(DomainError):
    """A backup could not be made, verified or restored."""


@dataclass(frozen=True)
class EvidenceFile:
    evidence_id: int
    key: str
    variants: tuple[str, ...]
    size: int
    sha256: str | None  # None for images: theirs is of the upload, which was re-encoded

    def matches(self, size: int, sha256: str) -> bool:
        return size == self.size and self.sha256 in (None, sha256)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def database_url():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def backend_name(url) -> str:
    return "sqlite" if url.get_backend_name() == "sqlite" else "postgresql"


def pg_environment(url) -> dict[str, str]:
    """libpq settings as environment variables, so no password appears on a command line."""
    env = dict(os.environ)
    env.update({"PGHOST": url.host or "localhost", "PGPORT": str(url.port or 5432),
                "PGUSER": url.username or "", "PGDATABASE": url.database or ""})
    if url.password:
        env["PGPASSWORD"] = url.password
    return env


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found; install the PostgreSQL client tools.")
    return found


def run_tool(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603  # nosec B603
        command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[:500]}")


def read_only_sqlite(path: Path) -> sqlite3.Connection:
    """Open a backup's SQLite file without writing beside it (no -wal or -shm file appears)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def private_folder(path: Path) -> None:
    """Create a folder only its owner can enter (a backup holds the whole database)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)


def private_file(path: Path):
    """Open a new file for writing that only its owner can read."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


# --- create ------------------------------------------------------------------------------


def create_backup(destination: Path | None = None) -> Path:
    """Write a backup folder and return its path; leave nothing behind if it fails."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    backups = Path(current_app.config["BACKUP_FOLDER"])
    folder = Path(destination or backups / f"backup-{stamp}")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(f"{folder} already exists and is not empty.")
    if destination is None:
        private_folder(backups)
    private_folder(folder)
    try:
        _write_backup(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def _write_backup(folder: Path) -> None:
    url = database_url()
    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    db.session.commit()  # nothing of ours pending while the snapshot is taken
    try:
        with storage.backup_lease(uploads) as lease:
            named = snapshot_database(url, folder)
            files = copy_evidence_files(named, uploads, folder / "uploads", lease)
    except OSError as error:
        raise BackupError(f"Could not write the backup: {error}") from error
    database = folder / DATABASE_FILES[backend_name(url)]
    files[database.name] = _facts(database.stat().st_size, file_sha256(database))
    manifest = {"created_at": datetime.now(UTC).isoformat(), "database": backend_name(url),
                "source": {"database": url.render_as_string(hide_password=True),
                           "uploads": str(uploads)},
                "evidence_files": len(named), "files": dict(sorted(files.items()))}
    with private_file(folder / MANIFEST) as out:
        out.write(json.dumps(manifest, indent=2, sort_keys=True).encode())


def snapshot_database(url, folder: Path) -> list[EvidenceFile]:
    """Dump the database and return the evidence files named in that very snapshot."""
    if backend_name(url) == "sqlite":
        target = folder / DATABASE_FILES["sqlite"]
        private_file(target).close()
        with closing(sqlite3.connect(url.database)) as live, \
                closing(sqlite3.connect(target)) as copy:
            live.backup(copy)  # a consistent snapshot even while others write (WAL)
        query = str(_EVIDENCE_FILES.compile(dialect=sqlite_dialect.dialect(),
                                            compile_kwargs={"literal_binds": True}))
        with closing(read_only_sqlite(target)) as copy:
            return _evidence_files(copy.execute(query).fetchall())
    target = folder / DATABASE_FILES["postgresql"]
    private_file(target).close()
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            rows = connection.execute(_EVIDENCE_FILES).all()
            # pg_dump reads the snapshot this transaction exported, so it holds these rows.
            run_tool([pg_tool("pg_dump"), "-Fc", "--no-owner", f"--snapshot={snapshot}",
                      "-f", str(target)], pg_environment(url))
    return _evidence_files(rows)


def _evidence_files(rows) -> list[EvidenceFile]:
    return [EvidenceFile(evidence_id, key, ("", ".thumb") if thumbnail else ("",), size,
                         None if category == "image" else sha256)
            for evidence_id, key, thumbnail, size, sha256, category in rows]


def copy_evidence_files(named: list[EvidenceFile], uploads: Path, target: Path,
                        lease: Path) -> dict[str, dict]:
    """Copy exactly the named files; fail if any is missing or differs from its checksum."""
    private_folder(target)
    files, missing, damaged = {}, [], []
    for count, item in enumerate(named, start=1):
        if count % 200 == 0:
            lease.touch()  # still running: the lease is not stale
        for variant in item.variants:
            copied = _copy_one(item.key, variant, uploads, target)
            if copied is None:
                missing.append(item)
                continue
            relative, size, sha256 = copied
            if not variant and not item.matches(size, sha256):
                damaged.append(item)
            files[relative] = _facts(size, sha256)
    if missing or damaged:
        raise BackupError(_incomplete_message(missing, damaged, uploads))
    return files


def _copy_one(key: str, variant: str, uploads: Path, target: Path):
    try:
        source = storage.open_stored(key, variant, uploads)
    except ValueError:  # not a storage key at all
        return None
    if source is None:
        return None
    path = storage.final_path(key, variant, target)
    private_folder(path.parent)
    digest, size = hashlib.sha256(), 0
    with source, private_file(path) as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return path.relative_to(target.parent).as_posix(), size, digest.hexdigest()


def _incomplete_message(missing, damaged, uploads: Path) -> str:
    parts = []
    if missing:
        ids = sorted({item.evidence_id for item in missing})
        parts.append(f"{len(ids)} evidence row(s) point at files missing from {uploads} "
                     f"(evidence {_some(ids)})")
    if damaged:
        ids = sorted({item.evidence_id for item in damaged})
        parts.append(f"{len(ids)} evidence file(s) differ from their recorded size or checksum "
                     f"(evidence {_some(ids)})")
    return ("No backup was written: " + "; ".join(parts) + ". Check that this is the right "
            "instance and UPLOAD_FOLDER, and run `flask storage check`.")


def _some(ids: list[int]) -> str:
    shown = ", ".join(str(i) for i in ids[:10])
    return shown + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")


def _facts(size: int, sha256: str) -> dict:
    return {"size": size, "sha256": sha256}


# --- verify ------------------------------------------------------------------------------


def verify_backup(folder: Path) -> dict:
    """Check the folder holds exactly the manifest's files with their checksums."""
    folder = Path(folder)
    manifest = _read_manifest(folder)
    listed = set(manifest["files"])
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink() or (path.is_file() and relative not in listed | {MANIFEST}):
            raise BackupError(f"{relative} is not in the manifest; a backup holds only the files "
                              "its manifest lists. Remove it or use another backup.")
        if not path.is_file() and not path.is_dir():
            raise BackupError(f"{relative} is not a regular file.")
    for relative, facts in manifest["files"].items():
        path = folder / relative
        if not path.is_file():
            raise BackupError(f"{relative} is missing from the backup.")
        if path.stat().st_size != facts["size"] or file_sha256(path) != facts["sha256"]:
            raise BackupError(f"{relative} does not match its checksum; the backup is damaged.")
    return manifest


def _read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.is_file() or path.is_symlink():
        raise BackupError(f"{folder} has no {MANIFEST}; it is not a backup.")
    try:
        manifest = json.loads(path.read_text())
        database = DATABASE_FILES[manifest["database"]]
        for facts in manifest["files"].values():
            int(facts["size"]), str(facts["sha256"])
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"{path} is not a valid backup manifest.") from error
    if database not in manifest["files"]:
        raise BackupError(f"The manifest does not list {database}.")
    for relative in manifest["files"]:
        if relative != database and not is_upload_entry(relative):
            raise BackupError(f"The manifest lists {relative!r}, which no backup holds.")
    return manifest


def is_upload_entry(relative: str) -> bool:
    """uploads/<ab>/<abcd...>[.thumb]: the only shape an evidence file has in a backup."""
    match = _UPLOAD_ENTRY.match(relative)
    return bool(match) and match["key"].startswith(match["shard"])
