"""The evidence file store: files live under UPLOAD_FOLDER by random key, never by their name.

An upload is streamed in chunks into `.staging/<key>` while it is hashed, so memory stays flat
whatever the size. The evidence row is then flushed; only when the surrounding transaction
commits is the staged file renamed into `<key[:2]>/<key>` (an atomic rename on one filesystem).
A rollback deletes the staged file. Deleting evidence removes its file after the commit.

So a crash can leave only two things behind, both found by `flask storage check`:
  - a staged file with no row (crash before commit): abandoned, deleted by --repair;
  - a committed row whose file is still staged (crash between commit and rename): --repair
    finishes the rename;
and a file with no row (crash between a deletion's commit and the unlink) is an orphan that
--repair deletes.

While a backup runs (it holds a lease in `.backups/`), a deleted file is kept in `.deleted/`
rather than unlinked, so the backup can still copy every file its database snapshot names; the
last backup to finish empties `.deleted/`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import socket
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import event

from .extensions import db

log = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024
STAGING = ".staging"
TRASH = ".deleted"  # deleted while a backup ran; kept until no backup needs it
LEASES = ".backups"  # one file per running backup
LEASE_STALE_SECONDS = 24 * 3600  # a lease this old belongs to a backup that died
VARIANTS = ("", ".thumb")  # the file itself and its thumbnail
_KEY = re.compile(r"^[0-9a-f]{32}$")
_STORED_NAME = re.compile(r"^(?P<key>[0-9a-f]{32})(?P<variant>\.thumb)?$")
_PENDING_MOVES = "storage_pending_moves"
_PENDING_DELETES = "storage_pending_deletes"
_PENDING_RETIRES = "storage_pending_retires"


class TooLarge(Exception):
    """The stream went over the byte limit; nothing was kept."""


def root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def new_key() -> str:
    return secrets.token_hex(16)


def _checked(key: str) -> str:
    if not _KEY.match(key or ""):
        raise ValueError("not a storage key")
    return key


def final_path(key: str, variant: str = "", base: Path | None = None) -> Path:
    key = _checked(key)
    return (base or root()) / key[:2] / f"{key}{variant}"


def staged_path(key: str, variant: str = "", base: Path | None = None) -> Path:
    return (base or root()) / STAGING / f"{_checked(key)}{variant}"


@dataclass
class StagedFile:
    key: str
    path: Path
    size: int
    sha256: str
    variants: list[str] = field(default_factory=lambda: [""])

    def variant_path(self, variant: str) -> Path:
        return self.path.with_name(self.path.name + variant)


def stage(stream, max_bytes: int) -> StagedFile:
    """Copy a stream into the staging folder chunk by chunk, hashing as it goes."""
    key = new_key()
    path = staged_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("xb") as out:
            while chunk := stream.read(CHUNK_BYTES):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge()
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StagedFile(key=key, path=path, size=size, sha256=digest.hexdigest())


def discard(staged: StagedFile) -> None:
    """Delete a staged file and any variants made from it."""
    for variant in VARIANTS:
        staged.variant_path(variant).unlink(missing_ok=True)
    tmp = staged.path.with_name(staged.path.name + ".tmp")
    tmp.unlink(missing_ok=True)


def keep_after_commit(staged: StagedFile) -> None:
    """Move the staged file (and variants) into place once the current transaction commits."""
    base = staged.path.parent.parent
    moves = [(staged.variant_path(v), final_path(staged.key, v, base)) for v in staged.variants]
    db.session.info.setdefault(_PENDING_MOVES, []).extend(moves)


def delete_after_commit(key: str) -> None:
    """Remove a stored file and its variants once the current transaction commits."""
    paths = [final_path(key, variant) for variant in VARIANTS]
    db.session.info.setdefault(_PENDING_RETIRES, []).extend(paths)


def delete_paths_after_commit(paths: Iterable[Path]) -> None:
    """Remove these files once the current transaction commits (e.g. erased export files)."""
    db.session.info.setdefault(_PENDING_DELETES, []).extend(paths)


def stored_file(key: str | None, variant: str = "") -> Path | None:
    """The path of a stored file if it is there."""
    if not key or not _KEY.match(key):
        return None
    path = final_path(key, variant)
    return path if path.is_file() else None


def expected_path(key: str | None, variant: str = "") -> str:
    """Where a stored file should be, for messages to the operator."""
    if not key or not _KEY.match(key):
        return f"(invalid storage key {key!r:.40})"
    return str(final_path(key, variant))


def move_into_place(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


@event.listens_for(db.session, "after_commit")
def _finish_after_commit(session):
    for source, target in session.info.pop(_PENDING_MOVES, []):
        try:
            move_into_place(source, target)
        except OSError:
            # The row is committed; `flask storage check --repair` finishes the move.
            log.exception("could not move %s into place", source.name)
    for path in session.info.pop(_PENDING_DELETES, []):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.exception("could not delete %s; storage check will report it", path.name)
    for path in session.info.pop(_PENDING_RETIRES, []):
        try:
            retire(path, base=path.parent.parent)
        except OSError:
            log.exception("could not delete %s; storage check will report it", path.name)


@event.listens_for(db.session, "after_rollback")
def _undo_after_rollback(session):
    for source, _target in session.info.pop(_PENDING_MOVES, []):
        source.unlink(missing_ok=True)
    session.info.pop(_PENDING_DELETES, None)
    session.info.pop(_PENDING_RETIRES, None)


# --- deletion while a backup runs --------------------------------------------------------


def retire(path: Path, base: Path) -> None:
    """Delete a stored file, keeping it in `.deleted/` while a running backup may copy it."""
    kept = base / TRASH / path.name
    kept.parent.mkdir(exist_ok=True)
    try:
        os.replace(path, kept)
    except FileNotFoundError:
        return
    # Looked at only after the move: a backup whose snapshot still has this file's row took
    # its lease before that snapshot, so before this deletion committed, so before now.
    if not _live_leases(base):
        kept.unlink(missing_ok=True)


@contextmanager
def backup_lease(base: Path | None = None) -> Iterator[Path]:
    """Hold deleted files in `.deleted/` until the block ends (take it before the snapshot)."""
    base = base or root()
    folder = base / LEASES
    folder.mkdir(parents=True, exist_ok=True)
    lease = folder / f"{new_key()}.lease"
    lease.write_text(f"{socket.gethostname()} {os.getpid()}\n")
    try:
        yield lease
    finally:
        lease.unlink(missing_ok=True)
        purge_deleted(base)


def open_stored(key: str, variant: str, base: Path):
    """Open a file wherever it is now: in place, staged, or kept for a backup (None if gone)."""
    names = (final_path(key, variant, base), staged_path(key, variant, base),
             base / TRASH / f"{_checked(key)}{variant}")
    for _attempt in range(3):  # an after-commit move may take it from one place to the next
        for path in names:
            try:
                return path.open("rb")
            except FileNotFoundError:
                continue
    return None


def purge_deleted(base: Path) -> list[Path]:
    """Forget leases of backups that died; empty `.deleted/` when no backup runs."""
    if _live_leases(base, forget_stale=True) or not (base / TRASH).is_dir():
        return []
    purged = [path for path in (base / TRASH).iterdir() if path.is_file()]
    for path in purged:
        path.unlink(missing_ok=True)
    return purged


def _live_leases(base: Path, *, forget_stale: bool = False) -> list[Path]:
    folder = base / LEASES
    live = []
    for lease in folder.glob("*.lease") if folder.is_dir() else ():
        try:
            age = time.time() - lease.stat().st_mtime
        except FileNotFoundError:
            continue
        if age < LEASE_STALE_SECONDS:
            live.append(lease)
        elif forget_stale:
            lease.unlink(missing_ok=True)
    return live


# --- consistency check -------------------------------------------------------------------


@dataclass
class CheckReport:
    folder: Path
    files: int = 0
    orphans: list[Path] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (key, variant)
    waiting: list[Path] = field(default_factory=list)  # staged, row committed: finish move
    abandoned: list[Path] = field(default_factory=list)  # staged, no row: delete
    in_progress: list[Path] = field(default_factory=list)  # staged recently: leave alone
    unrecognised: list[Path] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return len(self.orphans) + len(self.missing) + len(self.waiting) + len(self.abandoned)


def check(expected: dict[str, set[str]], *, repair: bool = False, grace_seconds: int = 3600,
          base: Path | None = None) -> CheckReport:
    """Compare the files on disk with `expected` (storage key -> variants its row needs).

    With `repair`, finish interrupted moves, delete orphans and abandoned staged uploads older
    than `grace_seconds` (younger ones may belong to an upload still in progress).
    """
    base = base or root()
    report = CheckReport(folder=base)
    present: set[str] = set()
    for path in _stored_files(base, report):
        key, variant = _split(path.name)
        report.files += 1
        present.add(path.name)
        if variant not in expected.get(key, ()):
            report.orphans.append(path)
    staged: set[str] = set()
    for path in _staged_files(base, report):
        key, variant = _split(path.name)
        complete = not path.name.endswith(".tmp")
        if complete and variant in expected.get(key, ()) and path.name not in present:
            report.waiting.append(path)
            staged.add(path.name)
        elif time.time() - path.stat().st_mtime >= grace_seconds:
            report.abandoned.append(path)
        else:
            report.in_progress.append(path)
    for key, variants in expected.items():
        report.missing.extend((key, variant) for variant in sorted(variants)
                              if f"{key}{variant}" not in present | staged)
    if repair:
        _repair(report, base)
    return report


def _split(name: str) -> tuple[str, str]:
    """'<key>.thumb' -> (key, '.thumb'); an upload's temporary file counts as the upload."""
    match = _STORED_NAME.match(name.removesuffix(".tmp"))
    return match["key"], match["variant"] or ""


def _stored_files(base: Path, report: CheckReport) -> Iterable[Path]:
    if not base.is_dir():
        return
    for shard in sorted(base.iterdir()):
        if shard.name in (STAGING, TRASH, LEASES):
            continue
        if not (shard.is_dir() and re.fullmatch(r"[0-9a-f]{2}", shard.name)):
            report.unrecognised.append(shard)
            continue
        for path in sorted(shard.iterdir()):
            match = _STORED_NAME.match(path.name)
            if path.is_file() and match and match["key"].startswith(shard.name):
                yield path
            else:
                report.unrecognised.append(path)


def _staged_files(base: Path, report: CheckReport) -> Iterable[Path]:
    staging = base / STAGING
    if not staging.is_dir():
        return
    for path in sorted(staging.iterdir()):
        if path.is_file() and _STORED_NAME.match(path.name.removesuffix(".tmp")):
            yield path
        else:
            report.unrecognised.append(path)


def _repair(report: CheckReport, base: Path) -> None:
    for path in report.waiting:
        key, variant = _split(path.name)
        move_into_place(path, final_path(key, variant, base))
        report.repaired.append(f"moved {path.name} into place")
    for path in [*report.orphans, *report.abandoned, *purge_deleted(base)]:
        path.unlink(missing_ok=True)
        report.repaired.append(f"deleted {path.relative_to(base)}")
