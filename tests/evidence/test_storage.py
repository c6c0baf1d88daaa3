"""File and row stay consistent: staging, commit, rename; `flask storage check` finds the rest."""

import io
import os
import time
import tracemalloc

import pytest
from sqlalchemy import func, select

from portfolio import storage
from portfolio.evidence import services
from portfolio.evidence.models import Evidence
from portfolio.extensions import db
from tests.evidence.builders import files_on_disk, image_bytes, pdf_bytes, store, upload
from tests.factories import make_scenario, sign_in


@pytest.fixture
def world(app):
    s = make_scenario()
    db.session.commit()
    return s


def run_check(runner, *args):
    return runner.invoke(args=["storage", "check", *args])


def test_clean_store_reports_consistent(app, runner, world):
    store(world.author, "photo.jpg")
    result = run_check(runner)
    assert result.exit_code == 0, result.output
    assert "Storage is consistent." in result.output
    assert "2 stored files for 1 file evidence rows" in result.output


def test_rollback_leaves_no_file(app, world):
    services.upload_file(world.author, upload("plan.pdf", pdf_bytes()))
    assert len(files_on_disk()) == 1  # staged
    db.session.rollback()
    assert files_on_disk() == []


def test_crash_before_commit_leaves_an_abandoned_upload_that_repair_deletes(app, runner, world):
    services.upload_file(world.author, upload("photo.jpg", image_bytes()))
    db.session.flush()
    # The process dies here: no commit, no rollback hook. Simulate by forgetting the hooks.
    db.session.info.clear()
    db.session.rollback()
    staged = files_on_disk()
    assert len(staged) == 2 and all(".staging" in str(p) for p in staged)
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 0

    young = run_check(runner)
    assert young.exit_code == 0 and "2 uploads in progress left alone" in young.output
    report = run_check(runner, "--grace-minutes", "0")
    assert report.exit_code == 1
    assert "Abandoned uploads (never committed): 2" in report.output
    repaired = run_check(runner, "--repair", "--grace-minutes", "0")
    assert repaired.exit_code == 0, repaired.output
    assert files_on_disk() == []
    assert run_check(runner).exit_code == 0


def test_crash_between_commit_and_rename_is_finished_by_repair(app, client, runner, world):
    outcome = services.upload_file(world.author, upload("photo.jpg", image_bytes()))
    evidence_id = outcome.evidence.id
    pending = db.session.info.pop("storage_pending_moves")  # the process dies after COMMIT
    db.session.commit()
    assert len(pending) == 2
    sign_in(client, world.author)
    assert client.get(f"/evidence/{evidence_id}/file").status_code == 404

    report = run_check(runner)
    assert report.exit_code == 1
    assert "Uploads committed but not yet moved into place: 2" in report.output
    repaired = run_check(runner, "--repair")
    assert repaired.exit_code == 0, repaired.output
    assert client.get(f"/evidence/{evidence_id}/file").status_code == 200
    assert client.get(f"/evidence/{evidence_id}/thumbnail").status_code == 200
    assert run_check(runner).output.strip().endswith("Storage is consistent.")


def test_orphan_files_and_missing_files_are_reported_and_orphans_repaired(app, runner, world):
    kept = store(world.author, "plan.pdf")
    lost = store(world.author, "notes.txt")
    storage.stored_file(lost.storage_key).unlink()
    orphan_key = storage.new_key()
    orphan = storage.final_path(orphan_key)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"left behind")
    stray = storage.root() / "README.txt"
    stray.write_text("not ours")

    report = run_check(runner)
    assert report.exit_code == 1
    assert "Orphan files (no evidence row): 1" in report.output
    assert f"{orphan_key[:2]}/{orphan_key}" in report.output
    assert f"Evidence rows whose file is missing: 1\n  evidence {lost.id} (owner " in report.output
    assert "Unrecognised files (left alone): 1" in report.output

    repaired = run_check(runner, "--repair")
    assert not orphan.exists()
    assert stray.exists()  # never delete what we do not recognise
    assert storage.stored_file(kept.storage_key) is not None
    assert repaired.exit_code == 1  # the missing file cannot be conjured back
    assert "1 problem found." in repaired.output


def test_deleting_evidence_removes_its_files_after_commit(app, world):
    photo = store(world.author, "photo.jpg")
    assert len(files_on_disk()) == 2
    services.delete_evidence(world.author, photo)
    assert len(files_on_disk()) == 2  # nothing gone until the deletion commits
    db.session.commit()
    assert files_on_disk() == []


def test_rolled_back_deletion_keeps_the_files(app, world):
    photo = store(world.author, "photo.jpg")
    services.delete_evidence(world.author, photo)
    db.session.rollback()
    assert len(files_on_disk()) == 2
    assert storage.stored_file(photo.storage_key) is not None


def test_stage_reads_in_chunks_and_hashes(app, tmp_path):
    class CountingStream(io.BytesIO):
        reads: list[int]

        def read(self, size=-1):
            assert size is not None and 0 < size <= storage.CHUNK_BYTES, "read everything at once"
            data = super().read(size)
            self.reads.append(len(data))
            return data

    data = os.urandom(3 * storage.CHUNK_BYTES + 5)
    stream = CountingStream(data)
    stream.reads = []
    staged = storage.stage(stream, max_bytes=len(data))
    import hashlib

    assert staged.sha256 == hashlib.sha256(data).hexdigest()
    assert staged.size == len(data) and staged.path.read_bytes() == data
    assert stream.reads[:4] == [storage.CHUNK_BYTES] * 3 + [5]
    storage.discard(staged)


def test_a_large_upload_streams_without_holding_the_file_in_memory(app, client, world, tmp_path):
    """20 MB through the whole request: parsing, staging and hashing keep memory flat."""
    size = 20 * 1024 * 1024
    boundary = "----evidence-boundary"
    body_path = tmp_path / "body.bin"
    with body_path.open("wb") as body:
        body.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
                   f"filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n".encode())
        body.write(b"%PDF-1.4\n")
        block = b"0" * (1024 * 1024)
        for _ in range(size // len(block)):
            body.write(block)
        body.write(b"\n%%EOF\n")
        body.write(f"\r\n--{boundary}--\r\n".encode())
    sign_in(client, world.author)
    with body_path.open("rb") as stream:
        tracemalloc.start()
        started = time.monotonic()
        response = client.post("/evidence/upload", input_stream=stream,
                               content_type=f"multipart/form-data; boundary={boundary}",
                               content_length=body_path.stat().st_size)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    evidence = db.session.scalar(select(Evidence))
    assert evidence.size_bytes > size
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.0f} MB upload"
    assert time.monotonic() - started < 60
