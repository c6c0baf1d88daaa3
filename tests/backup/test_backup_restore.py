"""Backup, wipe, restore: every row and every evidence file comes back, checksums verified."""

import json
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from portfolio.audit.services import record
from portfolio.backup.restore import restore_backup
from portfolio.backup.services import BackupError, create_backup, verify_backup
from portfolio.extensions import db
from portfolio.models import Signoff
from tests.backup.helpers import evidence_files_intact, row_counts, seed, stored_files
from tests.conftest import USE_POSTGRES
from tests.evidence.builders import store
from tests.factories import competency, make_entry, make_scenario


def wipe(app):
    db.session.remove()
    if USE_POSTGRES:
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        db.engine.dispose()
        path = Path(db.engine.url.database)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    db.engine.dispose()
    for item in Path(app.config["UPLOAD_FOLDER"]).rglob("*"):
        if item.is_file():
            item.unlink()


def test_round_trip_restores_rows_files_and_rules(app, tmp_path):
    s = seed()
    version = make_entry(s.author, cohort=s.cohort,
                         competencies=[competency(s.framework, "VP1")]).versions[-1]
    db.session.add(Signoff(role="coach_developer", decision="signed_off",
                           candidate_id=s.author.id, reviewer_id=s.developer.id,
                           competency_id=competency(s.framework, "VP1").id,
                           competency_code="VP1", entry_id=version.entry_id,
                           entry_version_id=version.id, version_number=1,
                           content_hash=version.content_hash))
    record("test.event", actor=s.admin)
    db.session.commit()
    before, files = row_counts(), stored_files(app)
    folder = create_backup(tmp_path / "nightly #1?")  # characters that mean something in a URI
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {f"uploads/{name}" for name in files} <= set(manifest["files"])
    assert manifest["evidence_files"] == 2 and len(files) == 3  # the photo has a thumbnail

    wipe(app)
    assert stored_files(app) == {}
    restore_backup(folder)

    assert row_counts() == before
    assert stored_files(app) == files
    assert evidence_files_intact(app)
    # the append-only rule came back with the schema
    with pytest.raises(DatabaseError), db.engine.begin() as connection:
        connection.execute(text("UPDATE signoffs SET decision = 'not_yet'"))


def test_backup_is_readable_by_its_owner_only(app, tmp_path):
    seed()
    folder = create_backup()  # the default place, instance/backups/backup-<time>
    paths = [folder.parent, folder, *folder.rglob("*")]
    assert len([p for p in paths if p.is_file()]) == 5  # database, manifest, three files
    for path in paths:
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, path


def test_damaged_backup_is_refused_before_anything_changes(app, tmp_path):
    seed()
    before = row_counts()
    folder = create_backup(tmp_path / "backup")
    damaged = next((folder / "uploads").rglob("*.thumb"))
    damaged.write_bytes(b"tampered")
    with pytest.raises(BackupError, match="does not match its checksum"):
        restore_backup(folder)
    assert row_counts() == before


@pytest.mark.parametrize("extra", ["uploads/{shard}/{key}", "uploads/{shard}/{key}.thumb",
                                   "notes.txt", "uploads/.staging/{key}", "link"])
def test_a_file_the_manifest_does_not_list_is_refused_and_never_restored(app, tmp_path, extra):
    seed()
    folder = create_backup(tmp_path / "backup")
    before, files = row_counts(), stored_files(app)
    key = "f" * 32
    path = folder / extra.format(shard=key[:2], key=key)
    path.parent.mkdir(exist_ok=True)
    if extra == "link":
        path.symlink_to(next((folder / "uploads").rglob("*.thumb")))
    else:
        path.write_bytes(b"smuggled in")
    with pytest.raises(BackupError, match="is not in the manifest"):
        verify_backup(folder)
    with pytest.raises(BackupError, match="is not in the manifest"):
        restore_backup(folder)
    assert row_counts() == before and stored_files(app) == files


@pytest.mark.parametrize("entry", ["../../outside", "uploads/../../outside", "/etc/passwd",
                                   "uploads/ab/cdef", "uploads/zz/" + "f" * 32])
def test_a_manifest_naming_paths_outside_the_store_is_refused(app, tmp_path, entry):
    folder = create_backup(tmp_path / "backup")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][entry] = {"size": 1, "sha256": "0" * 64}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="which no backup holds"):
        verify_backup(folder)


def test_backup_of_another_database_kind_is_refused(app, tmp_path):
    folder = create_backup(tmp_path / "backup")
    manifest = json.loads((folder / "manifest.json").read_text())
    database = "database.dump" if USE_POSTGRES else "database.sqlite"
    other, other_file = ("sqlite", "database.sqlite") if USE_POSTGRES else (
        "postgresql", "database.dump")
    manifest["database"] = other
    manifest["files"][other_file] = manifest["files"].pop(database)
    os.rename(folder / database, folder / other_file)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="This backup is of a"):
        restore_backup(folder)


def test_backup_commands(app, runner, tmp_path):
    seed()
    created = runner.invoke(args=["backup", "create", "--output", str(tmp_path / "b")])
    assert created.exit_code == 0, created.output
    assert "2 evidence file(s)" in created.stdout
    verified = runner.invoke(args=["backup", "verify", str(tmp_path / "b")])
    assert "Backup is intact" in verified.output
    assert verify_backup(tmp_path / "b")["database"] in ("sqlite", "postgresql")
    refused = runner.invoke(args=["backup", "restore", str(tmp_path / "b")], input="n\n")
    assert refused.exit_code != 0
    restored = runner.invoke(args=["backup", "restore", "--yes", str(tmp_path / "b")])
    assert restored.exit_code == 0, restored.output


def test_backup_create_fails_when_an_evidence_file_is_missing(app, runner, tmp_path):
    s = make_scenario()
    db.session.commit()
    kept = store(s.author, "plan.pdf")
    lost = store(s.author, "notes.txt")
    (Path(app.config["UPLOAD_FOLDER"]) / lost.storage_key[:2] / lost.storage_key).unlink()
    with pytest.raises(BackupError, match=rf"1 evidence row\(s\) point at files missing .*"
                                          rf"evidence {lost.id}\)"):
        create_backup(tmp_path / "direct")
    assert not (tmp_path / "direct").exists()

    result = runner.invoke(args=["backup", "create", "--output", str(tmp_path / "cli")])
    assert result.exit_code == 1 and "No backup was written" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "cli").exists()
    assert kept.storage_key  # the file that is there did not make the backup pass


def test_backup_create_fails_when_an_evidence_file_differs_from_its_checksum(app, tmp_path):
    s = make_scenario()
    db.session.commit()
    changed = store(s.author, "plan.pdf")
    path = Path(app.config["UPLOAD_FOLDER"]) / changed.storage_key[:2] / changed.storage_key
    data = bytearray(path.read_bytes())
    data[-3] ^= 1  # one flipped bit, same size
    path.write_bytes(bytes(data))
    with pytest.raises(BackupError, match=rf"1 evidence file\(s\) differ from their recorded "
                                          rf"size or checksum \(evidence {changed.id}\)"):
        create_backup(tmp_path / "backup")
    assert not (tmp_path / "backup").exists()


def test_backup_from_an_instance_without_the_files_fails(make_app, tmp_path):
    """The CLI run from the wrong directory: same database, another (empty) uploads folder."""
    right = make_app()
    with right.app_context():
        seed()
    wrong = make_app(UPLOAD_FOLDER=str(tmp_path / "elsewhere" / "uploads"))
    result = wrong.test_cli_runner().invoke(
        args=["backup", "create", "--output", str(tmp_path / "b")])
    assert result.exit_code == 1, result.output
    assert "2 evidence row(s) point at files missing" in result.output
    assert str(tmp_path / "elsewhere" / "uploads") in result.stderr  # which instance it used


def test_an_unreadable_backup_is_reported_without_a_traceback(app, runner, tmp_path, monkeypatch):
    from portfolio.backup import services

    folder = create_backup(tmp_path / "backup")

    def unreadable(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(services, "file_sha256", unreadable)
    for command in (["backup", "verify", str(folder)], ["backup", "restore", "--yes", str(folder)]):
        result = runner.invoke(args=command)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "Error: Permission denied (" in result.output
        assert "Nothing was changed." in result.output
