"""Restore replaces the database and the uploads folder's contents together, or changes nothing."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess  # nosec B404 - the restore command in a mount namespace
import sys
from pathlib import Path

import pytest

from portfolio.backup import restore
from portfolio.backup.restore import PREVIOUS, restore_backup
from portfolio.backup.services import BackupError, create_backup
from portfolio.extensions import db
from tests.backup.helpers import evidence_files_intact, row_counts, seed, stored_files
from tests.evidence.builders import pdf_bytes, store
from tests.factories import sign_in


@pytest.fixture
def changed_since_backup(app, tmp_path):
    """A backup, then later work: one file deleted, one added. Returns (backup, state now)."""
    s = seed()
    folder = create_backup(tmp_path / "backup")
    backed_up = (row_counts(), stored_files(app))
    store(s.author, "notes.txt")
    client = sign_in(app.test_client(), s.author)
    assert client.post(f"/evidence/{s.plan.id}/delete").status_code == 302
    now = (row_counts(), stored_files(app))
    assert now != backed_up
    return folder, backed_up, now


def test_restore_brings_back_the_backup_exactly(app, changed_since_backup):
    folder, backed_up, _ = changed_since_backup
    restore_backup(folder)
    assert (row_counts(), stored_files(app)) == backed_up
    assert evidence_files_intact(app)


def _fail_on_call(number: int, real, error: BaseException):
    calls = []

    def failing(*args, **kwargs):
        calls.append(args)
        if len(calls) == number:
            raise error
        return real(*args, **kwargs)

    return failing


def _fail_moving_in(number: int):
    real, moved_in = os.rename, []

    def failing(source, target):
        if os.path.basename(os.path.dirname(source)) == restore.RESTORING:
            moved_in.append(source)
            if len(moved_in) == number:
                raise OSError(errno.EIO, "Input/output error")
        return real(source, target)

    return failing


FAILURES = {
    # the second staged file cannot be written (the disk filled up)
    "staging": lambda m: m.setattr(restore, "_copy_durably", _fail_on_call(
        2, restore._copy_durably, OSError(errno.ENOSPC, "No space left on device"))),
    # half-way through moving the current files aside, or the staged files in
    "moving aside": lambda m: m.setattr(os, "rename", _fail_on_call(
        2, os.rename, OSError(errno.EIO, "Input/output error"))),
    "moving in": lambda m: m.setattr(os, "rename", _fail_moving_in(1)),
    # after the files were swapped: pg_restore or SQLite refuses
    "database": lambda m: m.setattr(restore, "restore_database", _fail_on_call(
        1, restore.restore_database, BackupError("pg_restore failed: out of shared memory"))),
}


@pytest.mark.parametrize("where", list(FAILURES))
def test_a_failure_half_way_leaves_the_previous_state_whole(app, changed_since_backup,
                                                            monkeypatch, where):
    folder, _, now = changed_since_backup
    FAILURES[where](monkeypatch)
    with pytest.raises(BackupError) as refused:
        restore_backup(folder)
    monkeypatch.undo()
    message = refused.value.message
    assert "Nothing was changed" in message and f"flask backup restore {folder}" in message
    assert (row_counts(), stored_files(app)) == now  # no .restoring or .previous left either
    assert evidence_files_intact(app)


def test_a_half_finished_earlier_restore_is_reported_before_anything_changes(
        app, changed_since_backup):
    folder, _, now = changed_since_backup
    leftover = app.config["UPLOAD_FOLDER"] + f"/{PREVIOUS}"
    os.mkdir(leftover)
    with pytest.raises(BackupError, match="left from an interrupted restore"):
        restore_backup(folder)
    os.rmdir(leftover)
    assert (row_counts(), stored_files(app)) == now


def test_the_command_says_what_failed_and_how_to_finish_without_a_traceback(
        app, runner, changed_since_backup, monkeypatch):
    folder, _, now = changed_since_backup
    FAILURES["database"](monkeypatch)
    result = runner.invoke(args=["backup", "restore", "--yes", str(folder)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Error: The restore failed: pg_restore failed: out of shared memory." in result.output
    assert f"run `flask backup restore {folder}` again" in result.output
    db.session.remove()
    assert (row_counts(), stored_files(app)) == now


# --- the uploads folder as a mount point (shared storage): root mounts a tmpfs in its own
# --- mount namespace, which disappears with the process.

ROOT = Path(__file__).resolve().parents[2]


def restore_on_mount(app, folder, *, size="64m", fault="none") -> dict:
    if not (os.geteuid() == 0 and shutil.which("unshare") and shutil.which("mount")):
        if not os.environ.get("CI"):
            pytest.skip("needs root, unshare and mount to mount a tmpfs (runs in CI)")
        pytest.fail("CI must run the mount-point restore tests as root")
    db.session.remove()
    db.engine.dispose()
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "PORTFOLIO_INSTANCE_PATH": app.instance_path, "PORTFOLIO_SECRET_KEY": "test",
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run(  # noqa: S603  # nosec B603 B607
        ["unshare", "-m", sys.executable, "-m", "tests.backup.restore_on_mount",  # noqa: S607
         app.config["UPLOAD_FOLDER"], str(folder), size, fault],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["mounted"], "the uploads folder stopped being a mount point"
    assert "Traceback" not in report["output"], report["output"]
    return report


def test_restore_onto_a_mount_point_replaces_its_contents(app, changed_since_backup):
    folder, backed_up, _ = changed_since_backup
    report = restore_on_mount(app, folder)
    assert report["exit"] == 0, report["output"]
    assert report["files"] == backed_up[1]
    assert row_counts() == backed_up[0]


def test_a_failed_restore_on_a_mount_point_puts_every_file_back(app, changed_since_backup):
    folder, _, now = changed_since_backup
    report = restore_on_mount(app, folder, fault="database")
    assert report["exit"] == 1
    assert "Nothing was changed" in report["output"]
    assert "pg_restore failed: disk quota exceeded" in report["output"]
    assert report["files"] == now[1]
    assert row_counts() == now[0]


def test_a_mount_point_without_room_for_the_backup_is_refused_before_anything_changes(
        app, tmp_path):
    s = seed()
    store(s.author, "large.pdf", data=pdf_bytes("large") + b"%" * (3 * 1024 * 1024))
    folder = create_backup(tmp_path / "backup")
    store(s.author, "notes.txt")
    now = (row_counts(), stored_files(app))
    report = restore_on_mount(app, folder, size="4m")  # 3 MB there already, 3 MB to stage
    assert report["exit"] == 1
    assert "Nothing was changed; the restore would fail:" in report["output"]
    assert "bytes free and needs" in report["output"]
    assert report["files"] == now[1]
    assert row_counts() == now[0]
