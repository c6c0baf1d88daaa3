"""Full cohort and personal archives: manifest checksums, privacy, safe names, flat memory."""

import hashlib
import io
import json
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from portfolio.exports import archive as archive_module
from portfolio.exports import jobs, pdf_cache, services
from portfolio.exports.archive import NameRegistry, StreamingZip, safe_name
from portfolio.exports.models import Job
from portfolio.exports.pdf_processes import RenderFailed, _Child
from portfolio.exports.worker import run_job
from portfolio.extensions import db
from tests.exports.builders import make_file_evidence, seeded_cohort
from tests.factories import add_member, add_version, make_entry, make_user


def _run(job):
    worker = "test-worker"
    job_id = jobs.claim(worker)
    assert job_id == job.id
    outcome = run_job(job_id, worker)
    db.session.expire_all()
    return outcome, db.session.get(Job, job_id)


def _open(job) -> zipfile.ZipFile:
    return zipfile.ZipFile(jobs.result_file(job))


def _manifest(zipped: zipfile.ZipFile) -> tuple[str, dict]:
    [name] = [n for n in zipped.namelist() if n.endswith("/manifest.json")]
    return name, json.loads(zipped.read(name))


def test_cohort_archive_manifest_checksums_match_its_files(app):
    s = seeded_cohort()
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    outcome, job = _run(job)
    assert outcome == "done" and job.status == "done"
    assert job.progress_done == job.progress_total == 3
    with _open(job) as zipped:
        manifest_name, manifest = _manifest(zipped)
        listed = {item["path"] for item in manifest["files"]}
        assert listed | {manifest_name} == set(zipped.namelist())
        for item in manifest["files"]:
            data = zipped.read(item["path"])
            assert len(data) == item["size"]
            assert hashlib.sha256(data).hexdigest() == item["sha256"]
        assert [record["id"] for record in manifest["signoffs"]] == [s.signoff.id]
        assert manifest["signoffs"][0]["content_hash"] == s.signoff.content_hash
        top = manifest_name.split("/")[0]
        for person in ("Aisha Author", "Pat Peer", "Olu Outsider"):
            assert f"{top}/{person}/portfolio.pdf" in listed
            assert f"{top}/{person}/portfolio.html" in listed
        evidence = zipped.read(f"{top}/Aisha Author/evidence/Block start plan.pdf")
        assert hashlib.sha256(evidence).hexdigest() == s.plan.sha256
        assert f"{top}/progress.xlsx" in listed


def test_cohort_archive_never_holds_private_entries_or_their_files(app):
    s = seeded_cohort()
    diary = make_file_evidence(s.author, "diary.pdf", b"%PDF private diary")
    make_entry(s.author, cohort=s.cohort, privacy="private", title="Diary", evidence=[diary])
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    _, job = _run(job)
    with _open(job) as zipped:
        names = zipped.namelist()
        assert not [name for name in names if "diary" in name.lower()]
        html = next(zipped.read(n) for n in names if n.endswith("Aisha Author/portfolio.html"))
        assert b"My private worries" not in html and b"Diary" not in html
        assert b"Block starts with under-17s" in html


def test_names_in_the_archive_are_safe_and_unique(app):
    s = seeded_cohort()
    for name in ("Sam Smith", "sam smith", "../../etc/passwd", "Eve\u202egpj.exe", "CON",
                 "Tab\tName\x07"):
        add_member(s.cohort, make_user(name=name))
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    _, job = _run(job)
    with _open(job) as zipped:
        folders = {name.split("/")[1] for name in zipped.namelist() if name.count("/") >= 2}
    assert {"Sam Smith", "sam smith (2)", "_._etc_passwd", "Evegpj.exe", "_CON",
            "TabName"} <= folders
    for folder in folders:
        assert ".." not in folder and "\\" not in folder
        assert all(ord(ch) >= 32 and ch != "\u202e" for ch in folder)


@pytest.mark.parametrize(("raw", "safe"), [
    ("../x", "_x"), ("a/b\\c", "a_b_c"), ("..", "file"), ("  . ", "file"), ("nul.txt", "_nul.txt"),
    ("report\u202e\u2066.pdf", "report.pdf"), ("Zoë Ní Bhriain", "Zoë Ní Bhriain"),
    ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
])
def test_safe_name(raw, safe):
    assert safe_name(raw) == safe


def test_name_registry_deduplicates_case_insensitively_keeping_extension():
    names = NameRegistry()
    assert names.claim("top", "plan.pdf") == "top/plan.pdf"
    assert names.claim("top", "Plan.pdf") == "top/Plan (2).pdf"
    assert names.claim("top", "plan.pdf") == "top/plan (3).pdf"
    assert names.claim("other", "plan.pdf") == "other/plan.pdf"


def test_missing_evidence_file_is_reported_not_fatal(app):
    s = seeded_cohort()
    from portfolio.storage import final_path

    final_path(s.plan.storage_key).unlink()
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    outcome, job = _run(job)
    assert outcome == "done"
    with _open(job) as zipped:
        _, manifest = _manifest(zipped)
    assert [item["evidence_id"] for item in manifest["missing_files"]] == [s.plan.id]


def test_personal_archive_includes_private_entries_for_the_candidate(app):
    s = seeded_cohort()
    unattached = make_file_evidence(s.author, "warm-up.mp4", b"\x00\x00 video bytes",
                                    media_type="video/mp4")
    job = services.request_personal_archive(s.author)
    db.session.commit()
    outcome, job = _run(job)
    assert outcome == "done"
    with _open(job) as zipped:
        names = zipped.namelist()
        top = names[0].split("/")[0]
        assert top == "Aisha Author portfolio"
        data = json.loads(zipped.read(f"{top}/portfolio.json"))
        titles = {entry["title"] for entry in data["entries"]}
        assert "My private worries" in titles
        html = zipped.read(f"{top}/portfolio.html").decode()
        assert "My private worries" in html and "Only me" in html
        assert f"{top}/evidence/warm-up.mp4" in names
        assert zipped.read(f"{top}/evidence/warm-up.mp4") == b"\x00\x00 video bytes"
        _, manifest = _manifest(zipped)
        for item in manifest["files"]:
            assert hashlib.sha256(zipped.read(item["path"])).hexdigest() == item["sha256"]
    assert unattached.sha256 in json.dumps(data)


def test_personal_archive_cannot_be_made_for_someone_else(app):
    s = seeded_cohort()
    job = jobs.enqueue("personal_archive", s.lead, {"user_id": s.author.id})
    db.session.commit()
    outcome, job = _run(job)
    assert outcome == "failed" and job.status == "failed"
    assert "your own portfolio" in job.error
    assert list(Path(app.config["EXPORT_FOLDER"]).iterdir()) == []


def test_cohort_archive_rechecks_rights_when_it_runs(app):
    s = seeded_cohort()
    job = services.request_cohort_archive(s.developer, s.cohort)
    db.session.commit()
    from portfolio.programmes.access import membership_in

    membership_in(s.cohort.id, s.developer.id).status = "withdrawn"
    db.session.commit()
    outcome, job = _run(job)
    assert outcome == "failed" and "no longer have access" in job.error


def test_zipping_streams_in_chunks_with_flat_memory(app, tmp_path, monkeypatch):
    sources = tmp_path / "sources"
    sources.mkdir()
    block = bytes(range(256)) * 4096  # 1 MiB
    paths = []
    for index in range(24):
        path = sources / f"file-{index}.bin"
        with path.open("wb") as out:
            for _ in range(2):  # 2 MiB each
                out.write(block)
        paths.append(path)
    big = sources / "video.mp4"
    with big.open("wb") as out:
        for _ in range(40):  # 40 MiB
            out.write(block)
    total = sum(path.stat().st_size for path in [*paths, big])

    writes = []
    original_open = zipfile.ZipFile.open

    def spying_open(self, name, mode="r", *args, **kwargs):
        handle = original_open(self, name, mode, *args, **kwargs)
        if mode == "w":
            real_write = handle.write

            def write(data):
                writes.append(len(data))
                return real_write(data)

            handle.write = write
        return handle

    monkeypatch.setattr(zipfile.ZipFile, "open", spying_open)
    target = tmp_path / "out.zip"
    tracemalloc.start()
    try:
        zipped = StreamingZip(target)
        for path in paths:
            zipped.add_file(f"top/{path.name}", path)
        zipped.add_file("top/video.mp4", big)
        zipped.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total >= 80 * 1024 * 1024
    assert peak < 6 * 1024 * 1024, f"peak {peak} bytes for {total} bytes zipped"
    assert max(writes) <= archive_module.CHUNK_BYTES
    assert len(writes) >= total // archive_module.CHUNK_BYTES
    with zipfile.ZipFile(target) as check:
        assert check.getinfo("top/video.mp4").compress_type == zipfile.ZIP_STORED
        assert check.getinfo("top/file-0.bin").file_size == 2 * 1024 * 1024
        assert hashlib.sha256(check.read("top/file-3.bin")).hexdigest() == \
            hashlib.sha256(paths[3].read_bytes()).hexdigest()


def test_a_failed_archive_leaves_no_partial_file(app, monkeypatch):
    s = seeded_cohort()
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()

    def broken(self, html, allowed, out, timeout):
        raise RenderFailed("renderer crashed")

    monkeypatch.setattr(_Child, "render", broken)
    outcome, job = _run(job)
    assert outcome == "failed" and job.status == "failed"
    assert "unexpected problem" in job.error
    folder = Path(app.config["EXPORT_FOLDER"])
    assert [path.name for path in folder.iterdir()] == [pdf_cache.FOLDER]
    assert list((folder / pdf_cache.FOLDER).iterdir()) == []


def test_stream_helper_hashes_what_it_writes(tmp_path):
    zipped = StreamingZip(tmp_path / "x.zip")
    record = zipped.add_stream("a/b.txt", io.BytesIO(b"hello"))
    zipped.close()
    assert record.size == 5
    assert record.sha256 == hashlib.sha256(b"hello").hexdigest()


@pytest.mark.parametrize("size", [0, 1, archive_module.TINY_BYTES,
                                  archive_module.TINY_BYTES + 1, archive_module.CHUNK_BYTES - 1,
                                  archive_module.CHUNK_BYTES, archive_module.CHUNK_BYTES + 1,
                                  2 * archive_module.CHUNK_BYTES + 7])
def test_every_size_comes_back_whole_with_its_checksum(tmp_path, size):
    data = (b"Reflection on the relay changeover, second session. " * (size // 52 + 1))[:size]
    source = tmp_path / "notes.txt"
    source.write_bytes(data)
    zipped = StreamingZip(tmp_path / "x.zip")
    record = zipped.add_file("notes.txt", source)
    zipped.close()
    assert record.size == size
    assert record.sha256 == hashlib.sha256(data).hexdigest()
    with zipfile.ZipFile(tmp_path / "x.zip") as check:
        assert check.testzip() is None
        assert check.read("notes.txt") == data
        info = check.getinfo("notes.txt")
    small = size <= archive_module.TINY_BYTES
    assert info.compress_type == (zipfile.ZIP_STORED if small else zipfile.ZIP_DEFLATED)


def test_tiny_files_are_stored_and_longer_text_still_deflated(tmp_path):
    zipped = StreamingZip(tmp_path / "x.zip")
    zipped.add_bytes("a/short.txt", b"Athlete feedback: more time on the bend.")
    zipped.add_bytes("a/long.html", b"<p>What? So what? Now what?</p>" * 400)
    zipped.close()
    with zipfile.ZipFile(tmp_path / "x.zip") as check:
        assert check.getinfo("a/short.txt").compress_type == zipfile.ZIP_STORED
        long = check.getinfo("a/long.html")
        assert long.compress_type == zipfile.ZIP_DEFLATED
        assert long.compress_size < long.file_size // 10


def _count_renders(monkeypatch) -> list[str]:
    drawn = []
    real = _Child.render

    def counting(self, html, allowed, out, timeout):
        drawn.append(out.name)
        return real(self, html, allowed, out, timeout)

    monkeypatch.setattr(_Child, "render", counting)
    return drawn


def test_media_and_pdfs_are_stored_and_text_is_deflated(app):
    s = seeded_cohort()
    photo = make_file_evidence(s.author, "start", b"\xff\xd8\xff" + b"\x00" * 4000,
                               media_type="image/jpeg")
    make_entry(s.author, cohort=s.cohort, privacy="developers", title="Photo", evidence=[photo])
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    _, job = _run(job)
    with _open(job) as zipped:
        kinds = {info.filename.split("/", 1)[1]: info.compress_type
                 for info in zipped.infolist()}
    assert kinds["Aisha Author/portfolio.pdf"] == zipfile.ZIP_STORED
    assert kinds["Aisha Author/evidence/Block start plan.pdf"] == zipfile.ZIP_STORED
    assert kinds["Aisha Author/evidence/start"] == zipfile.ZIP_STORED  # by its type
    assert kinds["progress.xlsx"] == zipfile.ZIP_STORED
    assert kinds["Aisha Author/portfolio.html"] == zipfile.ZIP_DEFLATED


def test_an_unchanged_portfolio_pdf_is_reused_and_a_changed_one_drawn_again(app, monkeypatch):
    s = seeded_cohort()
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    drawn = _count_renders(monkeypatch)
    _, first = _run(job)
    assert len(drawn) == 3  # three candidates
    with _open(first) as zipped:
        before = {n: zipped.read(n) for n in zipped.namelist() if n.endswith("portfolio.pdf")}

    s.shared_entry.sections = {"what": "A new paragraph about reaction games."}
    add_version(s.shared_entry)
    first.status = "expired"  # so the same request can be queued again
    again = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    drawn.clear()
    _, second = _run(again)
    assert len(drawn) == 1  # only the author's portfolio changed
    with _open(second) as zipped:
        after = {n: zipped.read(n) for n in zipped.namelist() if n.endswith("portfolio.pdf")}
    changed = [name for name in before if before[name] != after[name]]
    assert [name.split("/")[-2] for name in changed] == ["Aisha Author"]


def test_a_kept_pdf_is_never_handed_to_another_viewer(app, monkeypatch):
    s = seeded_cohort()
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    drawn = _count_renders(monkeypatch)
    _run(job)
    assert len(drawn) == 3
    drawn.clear()
    other = services.request_cohort_archive(s.developer, s.cohort)
    db.session.commit()
    _, other = _run(other)
    assert len(drawn) == 3  # the developer's copies are their own, never the lead's
    with _open(other) as zipped:
        pdf = zipped.read(next(n for n in zipped.namelist()
                               if n.endswith("Aisha Author/portfolio.pdf")))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Dev Eloper" in text.split("Exported", 1)[1][:200]
