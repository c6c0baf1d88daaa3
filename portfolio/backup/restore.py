"""Restore a backup all or nothing.

1. Verify the backup: every checksum, and no file the manifest does not list.
2. Check every step can succeed before anything changes: the same kind of database, reachable;
   pg_restore present; the uploads folder writable with room for a second copy of the files;
   no half-finished earlier restore.
3. Stage the backup's files in `<uploads>/.restoring/`, on the uploads folder's own filesystem.
4. Swap the uploads folder's contents, never the folder itself (it is often a mount point):
   what is there moves into `<uploads>/.previous/`, then the staged files move in. Renames only.
5. Restore the database in one transaction (pg_restore --single-transaction; SQLite's backup
   API writes the live file in one transaction).
6. Remove `.previous/`.
If 3-5 fail, the previous files are moved back and the staging removed: the database and the
files stay as they were, and the message says what failed and how to finish.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from .services import (
    CHUNK,
    DATABASE_FILES,
    BackupError,
    backend_name,
    database_url,
    is_upload_entry,
    pg_environment,
    pg_tool,
    read_only_sqlite,
    run_tool,
    verify_backup,
)

RESTORING = ".restoring"
PREVIOUS = ".previous"
LEAVE_ALONE = {RESTORING, PREVIOUS, "lost+found"}  # lost+found: the root of a mounted volume


@dataclass
class Restored:
    manifest: dict
    leftovers: list[Path] = field(default_factory=list)  # could not be removed; harmless


def restore_backup(folder: Path) -> Restored:
    """Replace the database and the evidence files with the backup's, or change nothing."""
    folder = Path(folder)
    manifest = verify_backup(folder)
    url = database_url()
    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    check_restore_can_succeed(manifest, folder, url, uploads)
    db.session.remove()
    db.engine.dispose()
    swap = Swap(uploads)
    try:
        stage_files(folder, manifest, swap.staging)
        swap.run()
        restore_database(url, folder)
    except BaseException as error:
        swap.undo(folder)
        if isinstance(error, OSError | BackupError):
            raise BackupError(f"The restore failed: {_reason(error)}. Nothing was changed: the "
                              "database and the evidence files are as they were. Fix the cause "
                              f"and run `flask backup restore {folder}` again.") from error
        raise
    finally:
        db.engine.dispose()
    return Restored(manifest, swap.finish())


def _reason(error: BaseException) -> str:
    return error.message if isinstance(error, BackupError) else str(error)


# --- 2. check -----------------------------------------------------------------------------


def check_restore_can_succeed(manifest: dict, folder: Path, url, uploads: Path) -> None:
    """Raise BackupError listing every reason the restore would fail, before any change."""
    if manifest["database"] != backend_name(url):
        raise BackupError(f"This backup is of a {manifest['database']} database; the app uses "
                          f"{backend_name(url)}. Nothing was changed.")
    problems = [*_database_problems(url), *_uploads_problems(uploads)]
    if not problems:
        problems = _space_problems(manifest, folder, url, uploads)
    if problems:
        raise BackupError("Nothing was changed; the restore would fail: " + "; ".join(problems)
                          + ".")


def _database_problems(url) -> list[str]:
    problems = []
    if backend_name(url) == "postgresql":
        try:
            pg_tool("pg_restore")
        except BackupError as error:
            problems.append(error.message)
    else:
        target = Path(url.database)
        if not os.access(target.parent, os.W_OK) or (target.exists()
                                                     and not os.access(target, os.W_OK)):
            problems.append(f"the database file {target} cannot be written")
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except SQLAlchemyError as error:
        db.session.rollback()
        problems.append(f"the database cannot be reached ({str(error).splitlines()[0]})")
    return problems


def _uploads_problems(uploads: Path) -> list[str]:
    if (uploads / PREVIOUS).exists():
        return [f"{uploads / PREVIOUS} is left from an interrupted restore; look inside, "
                "put back what belongs in the uploads folder, then remove it"]
    try:
        uploads.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(uploads / RESTORING, ignore_errors=True)  # only ever staged copies
        (uploads / RESTORING).mkdir()
        (uploads / RESTORING).rmdir()
    except OSError as error:
        return [f"the uploads folder {uploads} cannot be written ({error.strerror or error})"]
    return []


def _space_problems(manifest: dict, folder: Path, url, uploads: Path) -> list[str]:
    """Enough free space where the staged files and the database will be written."""
    needs: dict[int, list] = {}
    files = [facts for name, facts in manifest["files"].items() if is_upload_entry(name)]
    _need(needs, uploads, sum(facts["size"] for facts in files), len(files))
    if backend_name(url) == "sqlite":
        size = manifest["files"][DATABASE_FILES["sqlite"]]["size"]
        _need(needs, Path(url.database).parent, size, 1)
    problems = []
    for where, size, count in needs.values():
        stats = os.statvfs(where)
        free = stats.f_bavail * stats.f_frsize
        if free < size:
            problems.append(f"{where} has {free:,} bytes free and needs {size:,}")
        elif stats.f_files and stats.f_favail < count + 300:  # files plus their 256 shards
            problems.append(f"{where} has room for {stats.f_favail:,} more files and needs "
                            f"{count:,}")
    return problems


def _need(needs: dict, where: Path, size: int, count: int) -> None:
    device = where.stat().st_dev
    _, total, files = needs.get(device, (where, 0, 0))
    needs[device] = [where, total + size, files + count]


# --- 3. stage -----------------------------------------------------------------------------


def stage_files(folder: Path, manifest: dict, staging: Path) -> None:
    """Copy the backup's evidence files into the staging folder, checking each checksum."""
    staging.mkdir()
    for relative, facts in manifest["files"].items():
        if not is_upload_entry(relative):
            continue
        target = staging / Path(relative).relative_to("uploads")
        target.parent.mkdir(exist_ok=True)
        if _copy_durably(folder / relative, target) != facts["sha256"]:
            raise BackupError(f"{relative} changed while it was being restored")


def _copy_durably(source: Path, target: Path) -> str:
    digest = hashlib.sha256()
    with source.open("rb") as handle, target.open("xb") as out:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


# --- 4. swap ------------------------------------------------------------------------------


class Swap:
    """Exchange the uploads folder's contents with the staged ones, and undo that if asked."""

    def __init__(self, uploads: Path) -> None:
        self.uploads = uploads
        self.staging = uploads / RESTORING
        self.previous = uploads / PREVIOUS
        self.moved_out: list[str] = []
        self.moved_in: list[str] = []

    def run(self) -> None:
        self.previous.mkdir()
        for entry in sorted(self.uploads.iterdir()):
            if entry.name not in LEAVE_ALONE:
                os.rename(entry, self.previous / entry.name)
                self.moved_out.append(entry.name)
        for entry in sorted(self.staging.iterdir()):
            os.rename(entry, self.uploads / entry.name)
            self.moved_in.append(entry.name)

    def undo(self, folder: Path) -> None:
        try:
            for name in reversed(self.moved_in):
                os.rename(self.uploads / name, self.staging / name)
            self.moved_in.clear()
            for name in reversed(self.moved_out):
                os.rename(self.previous / name, self.uploads / name)
            self.moved_out.clear()
            if self.previous.exists():
                self.previous.rmdir()
        except OSError as error:
            raise BackupError(
                f"The restore failed and the previous evidence files could not all be put back "
                f"({error}). The database was not changed. To finish by hand: move "
                f"{', '.join(self.moved_in) or 'nothing'} from {self.uploads} into "
                f"{self.staging}, move everything in {self.previous} back into {self.uploads}, "
                f"remove {self.staging} and {self.previous}, then run `flask storage check` "
                f"and `flask backup restore {folder}` again.") from error
        shutil.rmtree(self.staging, ignore_errors=True)

    def finish(self) -> list[Path]:
        """Remove the previous files and the empty staging folder; list what stayed."""
        for path in (self.previous, self.staging):
            shutil.rmtree(path, ignore_errors=True)
        return [path for path in (self.previous, self.staging) if path.exists()]


# --- 5. database --------------------------------------------------------------------------


def restore_database(url, folder: Path) -> None:
    if backend_name(url) == "postgresql":
        run_tool([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                  "--single-transaction", "-d", url.database,
                  str(folder / DATABASE_FILES["postgresql"])], pg_environment(url))
        return
    source = folder / DATABASE_FILES["sqlite"]
    try:
        with closing(read_only_sqlite(source)) as copy, \
                closing(sqlite3.connect(url.database, timeout=15)) as live:
            copy.backup(live)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not write {url.database}: {error}") from error
