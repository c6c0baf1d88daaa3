"""A backup taken while people delete and upload evidence still restores every file its rows name.

The deletion and the upload are real requests (each with its own session and connection),
made at fixed points inside the backup: while the database snapshot is open (PostgreSQL: after
pg_export_snapshot, before pg_dump reads it) and between the snapshot and the file copy.
"""

from __future__ import annotations

import io

from portfolio.backup import services
from portfolio.backup.restore import restore_backup
from portfolio.backup.services import create_backup, verify_backup
from portfolio.evidence.models import Evidence
from portfolio.extensions import db
from tests.backup.helpers import evidence_files_intact, row_counts, seed, stored_files
from tests.evidence.builders import pdf_bytes, store
from tests.factories import sign_in


def test_deletions_and_an_upload_during_a_backup_leave_it_restorable(app, tmp_path, monkeypatch):
    s = seed()
    early = store(s.author, "notes.txt")  # deleted while the snapshot is open
    late_id, early_id, plan_id, plan_key = s.photo.id, early.id, s.plan.id, s.plan.storage_key
    client = sign_in(app.test_client(), s.author)
    happened = []

    def delete(evidence_id):
        response = client.post(f"/evidence/{evidence_id}/delete")
        assert response.status_code == 302, response.status_code
        happened.append(f"deleted {evidence_id}")

    def upload():
        response = client.post("/evidence/upload", content_type="multipart/form-data", data={
            "files": (io.BytesIO(pdf_bytes("uploaded during the backup")), "during.pdf")})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        happened.append("uploaded")

    run_tool, copy_files = services.run_tool, services.copy_evidence_files

    def dump_after_a_deletion(command, env):
        if command[0].endswith("pg_dump"):
            delete(early_id)  # committed after the exported snapshot, before pg_dump reads it
        return run_tool(command, env)

    def copy_after_a_deletion_and_an_upload(named, *args):
        if not happened:  # SQLite: its snapshot is a copy made in one step
            delete(early_id)
        delete(late_id)
        upload()
        return copy_files(named, *args)

    monkeypatch.setattr(services, "run_tool", dump_after_a_deletion)
    monkeypatch.setattr(services, "copy_evidence_files", copy_after_a_deletion_and_an_upload)
    folder = create_backup(tmp_path / "backup")
    monkeypatch.undo()

    assert happened == [f"deleted {early_id}", f"deleted {late_id}", "uploaded"]
    backed_up = set(verify_backup(folder)["files"])
    assert f"uploads/{plan_key[:2]}/{plan_key}" in backed_up
    assert len([name for name in backed_up if name.startswith("uploads/")]) == 4
    # The deletions are done: their files went once the backup no longer needed them.
    live = stored_files(app)
    assert not [name for name in live if name.startswith((".deleted/", ".backups/"))], live
    assert len(live) == 2  # the plan and the upload made during the backup

    before = row_counts()
    restore_backup(folder)
    assert row_counts() != before
    kept = {evidence.id for evidence in db.session.scalars(db.select(Evidence))}
    assert {plan_id, late_id, early_id} == kept  # as at the snapshot: upload not yet made
    assert evidence_files_intact(app)
    assert len(stored_files(app)) == 4  # plan, photo and thumbnail, notes; nothing else


def test_a_deletion_without_a_backup_running_removes_the_file_at_once(app, tmp_path):
    s = seed()
    client = sign_in(app.test_client(), s.author)
    assert client.post(f"/evidence/{s.plan.id}/delete").status_code == 302
    assert sorted(stored_files(app)) == sorted(
        f"{s.photo.storage_key[:2]}/{s.photo.storage_key}{variant}" for variant in ("", ".thumb"))
