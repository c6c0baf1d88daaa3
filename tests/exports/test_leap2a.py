"""The Leap2A package: a valid Atom feed whose links all resolve, read back with nothing lost."""

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from portfolio.entries.models import Goal, GoalNote, PhilosophyStatement, PhilosophyVersion
from portfolio.exports import jobs, leap2a, services
from portfolio.exports.document import build_document
from portfolio.exports.models import Job
from portfolio.exports.portability import personal_data
from portfolio.exports.worker import run_job
from portfolio.extensions import db
from portfolio.frameworks.models import Competency
from portfolio.reviews.models import Signoff
from tests.exports.builders import make_file_evidence, seeded_cohort
from tests.factories import add_version, make_entry, make_link_evidence


def _run(job):
    worker = "test-worker"
    assert jobs.claim(worker) == job.id
    outcome = run_job(job.id, worker)
    db.session.expire_all()
    return outcome, db.session.get(Job, job.id)


def _rich_portfolio():
    """seeded_cohort's author, with more of everything a portfolio can hold."""
    s = seeded_cohort()
    s.video = make_file_evidence(s.author, "warm-up.mp4", b"\x00\x00 video bytes",
                                 media_type="video/mp4")
    s.link = make_link_evidence(s.author, "Race footage", "https://video.example/race")
    entry = make_entry(s.author, cohort=s.cohort, privacy="peers", title="Relay changeovers",
                       sections={"what": "Changeover drills <b>& zones</b>",
                                 "so_what": "Outgoing runner left early\x0b twice.",
                                 "now_what": "Use check marks."},
                       competencies=[s.vp1], evidence=[s.video, s.link])
    entry.title = "Relay changeovers, revised"
    entry.sections = {**entry.sections, "now_what": "Use check marks; film the zone."}
    add_version(entry, note="After the club session")
    entry.sections = {**entry.sections, "so_what": "Still typing this thought"}
    s.relay = entry
    goal = Goal(owner_id=s.author.id, title="Coach relay zones", description="Film every zone",
                target_date=date(2027, 3, 1), status="in_progress", privacy="developers")
    db.session.add(goal)
    db.session.flush()
    db.session.add(GoalNote(goal_id=goal.id, body="Two sessions filmed"))
    statement = PhilosophyStatement(owner_id=s.author.id, body="Athletes first, always.",
                                    privacy="developers", latest_version_number=1)
    db.session.add(statement)
    db.session.flush()
    db.session.add(PhilosophyVersion(statement_id=statement.id, number=1,
                                     body="Athletes first.", content_hash="a" * 64))
    db.session.commit()
    return s


def _package(s):
    job = services.request_leap2a_package(s.author)
    db.session.commit()
    outcome, job = _run(job)
    assert outcome == "done", job.error
    assert job.result_filename == "Aisha Author Leap2A.zip"
    return jobs.result_file(job).read_bytes()


def test_the_package_reads_back_with_nothing_dropped(app):
    s = _rich_portfolio()
    data = _package(s)
    read = leap2a.read_package(data)
    expected = personal_data(s.author, build_document(s.author, None, s.author, "owner"))
    codes = {c.id: c.code for c in db.session.query(Competency)}

    assert read["person"] == {"name": "Aisha Author", "email": s.author.email}
    assert {e["id"] for e in read["entries"]} == {e["id"] for e in expected["entries"]}
    by_id = {e["id"]: e for e in read["entries"]}
    for entry in expected["entries"]:
        got = by_id[entry["id"]]
        for key in ("title", "privacy", "status", "practice_date", "session_type",
                    "event_group", "athletes", "reflection_model"):
            assert (got[key] or None) == (entry[key] or None), key
        assert [v["number"] for v in got["versions"]] == [v["number"] for v in entry["versions"]]
        for mine, theirs in zip(got["versions"], entry["versions"], strict=True):
            assert mine["title"] == theirs["title"]
            assert mine["content_hash"] == theirs["content_hash"]
            assert mine["note"] == theirs["note"]
            assert mine["content"]["sections"] == {
                key: text.replace("\x0b", "")
                for key, text in theirs["content"]["sections"].items()}
            assert mine["content"]["competency_codes"] == [
                codes[int(i)] for i in theirs["content"]["competency_ids"]]
            assert mine["content"]["evidence_ids"] == [
                int(i) for i in theirs["content"]["evidence_ids"]]
    # The working copy typed after the last save travels too, marked as such.
    assert by_id[s.relay.id]["working_copy"]["so_what"] == "Still typing this thought"
    assert by_id[s.shared_entry.id]["working_copy"] is None

    evidence = {item["id"]: item for item in read["evidence"]}
    assert set(evidence) == {item["id"] for item in expected["evidence"]}
    for item in expected["evidence"]:
        got = evidence[item["id"]]
        assert (got["title"], got["url"], got["sha256"]) == (item["title"], item["url"],
                                                            item["sha256"])
        if item["kind"] == "file":
            assert got["file"]["sha256"] == item["sha256"]
            assert got["file"]["size"] == item["size"]
            assert got["file"]["path"].startswith("files/")
        else:
            assert got["file"] is None

    [goal] = read["goals"]
    assert goal == {**expected["goals"][0], "target_date": "2027-03-01"}
    assert read["philosophy"] == {**expected["philosophy"],
                                  "versions": expected["philosophy"]["versions"]}
    assert [(r["id"], r["competency"], r["decision"], r["content_hash"], r["version_number"])
            for r in read["signoffs"]] == [
        (r["id"], r["competency"], r["decision"], r["content_hash"], r["version_number"])
        for r in expected["signoffs"]]
    assert read["signoffs"][0]["entry_id"] == s.shared_entry.id
    assert {"VP1", "VP2", "RP1"} <= set(read["competencies"])


def test_the_feed_is_leap2a_with_typed_items_and_escaped_text(app):
    s = _rich_portfolio()
    with zipfile.ZipFile(io.BytesIO(_package(s))) as zipped:
        names = zipped.namelist()
        feed = zipped.read("leap2a.xml").decode()
    assert names[0] == "leap2a.xml"
    assert all(name == "leap2a.xml" or name.startswith("files/") for name in names)
    assert "<leap2:version>http://www.leapspecs.org/2010-07/2A/</leap2:version>" in feed
    for leap_type in ("person", "selection", "entry", "resource", "ability", "plan"):
        assert f'rdf:resource="leap2:{leap_type}"' in feed
    # What the candidate typed is text in the feed, never markup of it.
    assert "<b>& zones</b>" not in feed and "&lt;b&gt;&amp; zones&lt;/b&gt;" in feed
    assert "\x0b" not in feed
    assert 'rel="enclosure"' in feed and 'href="files/warm-up.mp4"' in feed
    assert 'href="https://video.example/race"' in feed
    # Only the author's own things: a peer's entry is not in their package.
    assert "Hurdle drills" not in feed


def _rezip(data: bytes, **replace) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name in replace and replace[name] is None:
                continue
            target.writestr(name, replace.get(name, source.read(name)))
    return out.getvalue()


@pytest.mark.parametrize("change, problem", [
    (lambda feed: feed.replace(b"portfolio:competency/VP1\"", b"portfolio:competency/XX9\"", 1),
     "not in the feed"),
    (lambda feed: feed.replace(b"http://www.leapspecs.org/2010-07/2A/", b"1.0"), "2010-07"),
    (lambda feed: b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaa">]>'
     + feed.split(b"?>", 1)[1], "document type"),
    (lambda feed: feed[:-40], "well-formed"),
])
def test_the_reader_refuses_a_broken_package(app, change, problem):
    s = _rich_portfolio()
    data = _package(s)
    feed = zipfile.ZipFile(io.BytesIO(data)).read("leap2a.xml")
    with pytest.raises(leap2a.InvalidPackage, match=problem):
        leap2a.read_package(_rezip(data, **{"leap2a.xml": change(feed)}))


def test_the_reader_refuses_a_missing_or_altered_file(app):
    s = _rich_portfolio()
    data = _package(s)
    with pytest.raises(leap2a.InvalidPackage, match="missing file"):
        leap2a.read_package(_rezip(data, **{"files/warm-up.mp4": None}))
    with pytest.raises(leap2a.InvalidPackage, match="length"):
        leap2a.read_package(_rezip(data, **{"files/warm-up.mp4": b"short"}))


def test_a_file_missing_from_storage_is_named_not_silently_dropped(app):
    s = _rich_portfolio()
    from portfolio.exports.sources import evidence_file

    evidence_file(s.video).unlink()
    read = leap2a.read_package(_package(s))
    [video] = [item for item in read["evidence"] if item["id"] == s.video.id]
    assert video["file"] is None and video["sha256"] == s.video.sha256
    feed = zipfile.ZipFile(io.BytesIO(_package(s))).read("leap2a.xml").decode()
    assert "acp:missing-file" in feed


def test_only_the_candidate_can_have_their_package_made(app):
    s = seeded_cohort()
    job = jobs.enqueue("leap2a_package", s.lead, {"user_id": s.author.id})
    db.session.commit()
    outcome, job = _run(job)
    assert outcome == "failed" and "your own portfolio" in job.error
    assert list(Path(app.config["EXPORT_FOLDER"]).iterdir()) == []


def test_the_page_offers_the_package_and_lists_it(app, client):
    from tests.factories import sign_in

    s = seeded_cohort()
    db.session.commit()
    sign_in(client, s.author)
    page = client.get("/exports/my-portfolio").get_data(as_text=True)
    assert "Make a Leap2A package" in page
    from tests.factories import csrf_token_from

    response = client.post("/exports/my-portfolio/leap2a",
                           data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302 and "/exports/jobs/" in response.location
    page = client.get("/exports/my-portfolio").get_data(as_text=True)
    assert "Your recent Leap2A packages" in page
    assert db.session.query(Signoff).count() == 1  # nothing else was written
