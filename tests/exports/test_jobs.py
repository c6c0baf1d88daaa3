"""Background jobs: ownership, claiming, heartbeats, stale recovery, expiry, the worker."""

import os
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from portfolio.audit.models import AuditEvent
from portfolio.database import utcnow
from portfolio.exports import jobs, services
from portfolio.exports.models import Job
from portfolio.exports.worker import run_job, run_worker, start_background_worker, work_once
from portfolio.extensions import db
from tests.conftest import USE_POSTGRES
from tests.exports.builders import seeded_cohort
from tests.factories import make_user


def _queue(count, user=None):
    user = user or make_user()
    made = [jobs.enqueue("personal_archive", user, {"user_id": user.id, "n": n})
            for n in range(count)]
    db.session.commit()
    return made


def _fresh(job_id):
    db.session.expire_all()
    return db.session.get(Job, job_id)


def test_enqueue_returns_the_same_job_while_one_is_waiting(app):
    user = make_user()
    first = jobs.enqueue("personal_archive", user, {"user_id": user.id})
    again = jobs.enqueue("personal_archive", user, {"user_id": user.id})
    assert first.id == again.id


def test_claim_marks_the_job_running_for_one_worker(app):
    [job] = _queue(1)
    assert jobs.claim("worker-a") == job.id
    claimed = _fresh(job.id)
    assert claimed.status == "running" and claimed.worker_id == "worker-a"
    assert claimed.attempts == 1 and claimed.heartbeat_at is not None
    assert jobs.claim("worker-b") is None


def test_two_workers_claiming_at_once_never_share_a_job(app):
    made = _queue(30)
    claimed: dict[str, list[int]] = {"a": [], "b": []}
    barrier = threading.Barrier(2)
    errors = []

    def worker(name):
        try:
            with app.app_context():
                barrier.wait()
                while (job_id := jobs.claim(f"worker-{name}")) is not None:
                    claimed[name].append(job_id)
                db.session.remove()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(name,)) for name in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    everything = claimed["a"] + claimed["b"]
    assert sorted(everything) == sorted(job.id for job in made)
    assert len(set(everything)) == len(everything)
    owners = dict(db.session.execute(select(Job.id, Job.worker_id)).all())
    for name, ids in claimed.items():
        assert {owners[job_id] for job_id in ids} <= {f"worker-{name}"}


@pytest.mark.skipif(not USE_POSTGRES, reason="row locks across connections need PostgreSQL")
def test_postgres_skip_locked_passes_over_a_job_another_worker_holds(app):
    from sqlalchemy import text

    first, second = _queue(2)
    with db.engine.connect() as holder:
        holder.execute(text("BEGIN"))
        holder.execute(text("SELECT id FROM jobs WHERE id = :id FOR UPDATE"), {"id": first.id})
        assert jobs.claim("worker-b") == second.id
        holder.execute(text("ROLLBACK"))
    assert jobs.claim("worker-c") == first.id


def test_heartbeat_records_progress(app):
    [job] = _queue(1)
    jobs.claim("w")
    jobs.heartbeat(job.id, "w", done=12, total=60, label="12 of 60 candidates")
    job = _fresh(job.id)
    assert (job.progress_done, job.progress_total, job.progress_label) == (
        12, 60, "12 of 60 candidates")


def test_a_worker_killed_mid_job_leaves_it_retryable(app):
    s = seeded_cohort()
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    assert jobs.claim("dead-worker") == job.id
    jobs.heartbeat(job.id, "dead-worker", done=1, total=3, label="1 of 3 candidates")
    # The worker dies here: no more heartbeats. Eleven minutes later another worker looks.
    later = utcnow() + timedelta(minutes=11)
    assert jobs.recover_stale(now=later) == (1, 0)
    job = _fresh(job.id)
    assert job.status == "queued" and job.worker_id is None and job.attempts == 1
    with pytest.raises(jobs.JobLost):
        jobs.heartbeat(job.id, "dead-worker")  # the old worker cannot write over it
    assert jobs.claim("new-worker") == job.id
    assert run_job(job.id, "new-worker") == "done"
    job = _fresh(job.id)
    assert job.status == "done" and job.attempts == 2 and jobs.result_file(job) is not None


def test_a_job_that_keeps_dying_fails_with_a_clear_message(app, client, login):
    s = seeded_cohort()
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    for attempt in range(3):
        assert jobs.claim(f"worker-{attempt}") == job.id
        jobs.recover_stale(now=utcnow() + timedelta(minutes=30))
    job = _fresh(job.id)
    assert job.status == "failed"
    assert "stopped unexpectedly 3 times" in job.error
    login(s.lead)
    page = client.get(f"/exports/jobs/{job.id}").get_data(as_text=True)
    assert "stopped unexpectedly 3 times" in page and "Try again" in page
    response = client.post(f"/exports/jobs/{job.id}/retry")
    assert response.status_code == 302
    job = _fresh(job.id)
    assert job.status == "queued" and job.attempts == 0 and job.error is None


def test_fresh_heartbeats_are_not_recovered(app):
    [job] = _queue(1)
    jobs.claim("w")
    assert jobs.recover_stale(now=utcnow() + timedelta(minutes=5)) == (0, 0)
    assert _fresh(job.id).status == "running"


def test_a_job_belongs_to_its_requester(app, client, login):
    s = seeded_cohort()
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    work_once("w")
    assert _fresh(job.id).status == "done"
    for user in (s.admin, s.developer, s.author, s.stranger):
        login(user)
        for path in ("", "/status", "/download"):
            assert client.get(f"/exports/jobs/{job.id}{path}").status_code == 404, (user, path)
        assert client.post(f"/exports/jobs/{job.id}/retry").status_code == 404
    login(s.lead)
    assert client.get(f"/exports/jobs/{job.id}/download").status_code == 200


def test_download_streams_the_file_with_name_type_and_length(app, client, login):
    s = seeded_cohort()
    s.cohort.name = "Talent Ø"
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    work_once("w")
    job = _fresh(job.id)
    login(s.lead)
    response = client.get(f"/exports/jobs/{job.id}/download")
    assert response.status_code == 200
    assert response.is_streamed
    body = response.get_data()
    assert response.headers["Content-Type"] == "application/zip"
    assert int(response.headers["Content-Length"]) == len(body) == job.result_size
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert "filename*=UTF-8''Talent%20%C3%98%20" in disposition
    assert body[:2] == b"PK"
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.actor_id == s.lead.id).order_by(AuditEvent.id)).all()
    assert actions == ["export.requested", "export.completed", "export.download"]


def test_job_page_and_status_show_progress(app, client, login):
    s = seeded_cohort()
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    jobs.claim("w")
    jobs.heartbeat(job.id, "w", done=1, total=3, label="1 of 3 candidates")
    login(s.lead)
    page = client.get(f"/exports/jobs/{job.id}").get_data(as_text=True)
    assert '<progress id="job-progress-bar" max="3" value="1">33%</progress>' in page
    assert "1 of 3 candidates" in page and "33%" in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "js/exports.js" in page
    state = client.get(f"/exports/jobs/{job.id}/status").get_json()
    assert state == {"status": "running", "status_label": "In progress", "done": 1, "total": 3,
                     "percent": 33, "label": "1 of 3 candidates", "active": True}


def test_finished_job_page_offers_the_download_and_stops_refreshing(app, client, login):
    s = seeded_cohort()
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    work_once("w")
    login(s.lead)
    page = client.get(f"/exports/jobs/{job.id}").get_data(as_text=True)
    assert "http-equiv" not in page
    assert f"/exports/jobs/{job.id}/download" in page
    assert "You can download it until" in page


def test_expired_files_are_deleted_and_the_job_can_be_made_again(app, client, login):
    s = seeded_cohort()
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    work_once("w")
    path = jobs.result_file(_fresh(job.id))
    assert path.exists()
    assert jobs.cleanup_expired(now=utcnow() + timedelta(days=6)) == 0
    with db.engine.begin() as connection:  # past its retention, before any cleanup has run
        connection.execute(Job.__table__.update().where(Job.id == job.id).values(
            expires_at=utcnow() - timedelta(seconds=1)))
    login(s.lead)
    assert client.get(f"/exports/jobs/{job.id}/download").status_code == 302
    assert jobs.cleanup_expired(now=utcnow() + timedelta(days=8)) == 1
    job = _fresh(job.id)
    assert job.status == "expired" and not path.exists()
    login(s.lead)
    response = client.get(f"/exports/jobs/{job.id}/download")
    assert response.status_code == 302
    assert "Make it again" in client.get(f"/exports/jobs/{job.id}").get_data(as_text=True)
    client.post(f"/exports/jobs/{job.id}/retry")
    assert _fresh(job.id).status == "queued"


def test_retry_refused_for_a_job_that_is_running(app, client, login):
    s = seeded_cohort()
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    jobs.claim("w")
    login(s.lead)
    client.post(f"/exports/jobs/{job.id}/retry")
    assert _fresh(job.id).status == "running"


def test_cleanup_removes_abandoned_partial_and_orphaned_files(app):
    folder = Path(app.config["EXPORT_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    orphan = folder / "job-999.part"
    orphan.write_bytes(b"half a zip")
    old_result, young_result = folder / "job-998-aa.zip", folder / "job-997-bb.zip"
    for path in (old_result, young_result):
        path.write_bytes(b"PK")
    two_hours_ago = time.time() - 7200
    os.utime(old_result, (two_hours_ago, two_hours_ago))
    jobs.cleanup_expired()
    assert not orphan.exists() and not old_result.exists()
    assert young_result.exists()  # may be a result about to be recorded


def test_result_file_refuses_paths_outside_the_export_folder(app, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    job = Job(requested_by_id=make_user().id, kind="personal_archive", status="done",
              result_path=os.path.relpath(outside, app.config["EXPORT_FOLDER"]))
    assert jobs.result_file(job) is None


def test_archive_request_page_flow(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    login(s.developer)
    response = client.post(f"/exports/cohorts/{s.cohort.id}/archive")
    assert response.status_code == 302
    job = db.session.scalar(select(Job).where(Job.requested_by_id == s.developer.id))
    assert response.headers["Location"].endswith(f"/exports/jobs/{job.id}")
    assert job.params == {"cohort_id": s.cohort.id} and job.progress_total == 3
    again = client.post(f"/exports/cohorts/{s.cohort.id}/archive")
    assert again.headers["Location"] == response.headers["Location"]  # no duplicate job
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export.requested"))
    assert event.cohort_id == s.cohort.id and event.actor_id == s.developer.id


def test_flask_worker_once_runs_waiting_jobs(app):
    s = seeded_cohort()
    job = services.request_personal_archive(s.author)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["worker", "--once", "--poll-seconds", "0.5"])
    assert result.exit_code == 0, result.output
    assert "1 job run" in result.output
    assert _fresh(job.id).status == "done"


def test_background_worker_thread_runs_jobs_until_stopped(app):
    s = seeded_cohort()
    job = services.request_personal_archive(s.author)
    db.session.commit()
    stop = threading.Event()
    thread = start_background_worker(app, poll_seconds=0.1, stop=stop)
    try:
        for _ in range(200):
            if _fresh(job.id).status == "done":
                break
            stop.wait(0.1)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert thread.daemon and not thread.is_alive()
    assert _fresh(job.id).status == "done"


def test_worker_loop_recovers_stale_jobs_before_claiming(app):
    [job] = _queue(1)
    jobs.claim("dead")
    with db.engine.begin() as connection:
        connection.execute(Job.__table__.update().where(Job.id == job.id).values(
            heartbeat_at=utcnow() - timedelta(hours=1)))
    assert run_worker(app, once=True) == 1
    assert _fresh(job.id).status == "done"
