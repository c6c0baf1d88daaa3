"""Backup, wipe, restore: every row and every evidence file comes back, checksums verified."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from portfolio.audit.services import record
from portfolio.backup.services import BackupError, create_backup, restore_backup, verify_backup
from portfolio.extensions import db
from portfolio.models import Signoff
from tests.conftest import USE_POSTGRES
from tests.factories import competency, make_entry, make_scenario


def row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def seed(app):
    s = make_scenario()
    entry = make_entry(s.author, cohort=s.cohort,
                       competencies=[competency(s.framework, "VP1")])
    version = entry.versions[-1]
    db.session.add(Signoff(role="coach_developer", decision="signed_off",
                           candidate_id=s.author.id, reviewer_id=s.developer.id,
                           competency_id=competency(s.framework, "VP1").id,
                           competency_code="VP1", entry_id=entry.id,
                           entry_version_id=version.id, version_number=1,
                           content_hash=version.content_hash))
    record("test.event", actor=s.admin)
    db.session.commit()
    uploads = Path(app.config["UPLOAD_FOLDER"])
    (uploads / "ab").mkdir(parents=True, exist_ok=True)
    (uploads / "ab" / "abcdef").write_bytes(b"%PDF-1.4 session plan" * 1000)


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
    seed(app)
    before = row_counts()
    upload = Path(app.config["UPLOAD_FOLDER"]) / "ab" / "abcdef"
    upload_bytes = upload.read_bytes()
    folder = create_backup(tmp_path / "backup")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert "uploads/ab/abcdef" in manifest["files"]

    wipe(app)
    assert not upload.exists()
    restore_backup(folder)

    assert row_counts() == before
    assert upload.read_bytes() == upload_bytes
    # the append-only rule came back with the schema
    with pytest.raises(DatabaseError), db.engine.begin() as connection:
        connection.execute(text("UPDATE signoffs SET decision = 'not_yet'"))


def test_damaged_backup_is_refused_before_anything_changes(app, tmp_path):
    seed(app)
    before = row_counts()
    folder = create_backup(tmp_path / "backup")
    (folder / "uploads" / "ab" / "abcdef").write_bytes(b"tampered")
    with pytest.raises(BackupError, match="does not match its checksum"):
        restore_backup(folder)
    assert row_counts() == before


def test_backup_of_another_database_kind_is_refused(app, tmp_path):
    folder = create_backup(tmp_path / "backup")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["database"] = "sqlite" if USE_POSTGRES else "postgresql"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="This backup is of a"):
        restore_backup(folder)


def test_backup_commands(app, runner, tmp_path):
    seed(app)
    created = runner.invoke(args=["backup", "create", "--output", str(tmp_path / "b")])
    assert created.exit_code == 0, created.output
    verified = runner.invoke(args=["backup", "verify", str(tmp_path / "b")])
    assert "Backup is intact" in verified.output
    assert verify_backup(tmp_path / "b")["database"] in ("sqlite", "postgresql")
    refused = runner.invoke(args=["backup", "restore", str(tmp_path / "b")], input="n\n")
    assert refused.exit_code != 0
    restored = runner.invoke(args=["backup", "restore", "--yes", str(tmp_path / "b")])
    assert restored.exit_code == 0, restored.output
