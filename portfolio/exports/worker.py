"""The background worker: `flask worker` in its own process, or daemon threads inside `make run`.

It runs export jobs and, in a second thread, delivers queued mail (portfolio/mail/worker.py).
"""

from __future__ import annotations

import logging
import threading
import time

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ..audit.services import record
from ..auth.models import User
from ..extensions import db
from ..mail.worker import run_mail_worker, start_mail_thread
from ..registry import registry_of
from ..webhooks.worker import run_webhook_worker, start_webhook_thread
from ..wording import plural
from . import jobs, pdf_cache
from .builders import RUNNERS
from .models import Job

log = logging.getLogger(__name__)
CLEANUP_EVERY_SECONDS = 600


def run_job(job_id: int, worker_id: str) -> str:
    """Run one claimed job to its end; return the status it finished with."""
    job = db.session.get(Job, job_id, populate_existing=True)
    if job is None:
        return "lost"  # deleted (with its requester's account) since it was claimed
    requester = db.session.get(User, job.requested_by_id)
    part = jobs.export_folder() / f"job-{job_id}.part"
    kind, params = job.kind, dict(job.params or {})
    started = time.monotonic()
    log.info("export job %s started: kind=%s requested_by=%s worker=%s attempt=%s",
             job_id, kind, job.requested_by_id, worker_id, job.attempts)
    try:
        if requester is None or not requester.active:
            raise jobs.JobFailed("The account that asked for this export is no longer active.")
        runner = RUNNERS.get(kind)
        if runner is None:
            raise jobs.JobFailed("This kind of export is no longer offered.")
        context = jobs.JobContext(job_id, worker_id, requester, params, part)
        filename, media_type = runner(context)
        final = jobs.finish(job_id, worker_id, part, filename, media_type)
    except jobs.JobLost:
        log.warning("export job %s was taken over by another worker", job_id)
        return _discard(part, "lost")
    except jobs.JobFailed as refusal:
        log.warning("export job %s failed after %.1fs: %s", job_id, _since(started), refusal)
        _discard(part, "failed")
        jobs.fail(job_id, worker_id, str(refusal))
        _audit("export.failed", requester, job_id, params, kind=kind)
        return "failed"
    except Exception:
        log.exception("export job %s failed after %.1fs", job_id, _since(started))
        _discard(part, "failed")
        jobs.fail(job_id, worker_id, jobs.UNEXPECTED_MESSAGE)
        _audit("export.failed", requester, job_id, params, kind=kind)
        return "failed"
    size = final.stat().st_size
    log.info("export job %s finished in %.1fs: kind=%s size=%s file=%s",
             job_id, _since(started), kind, size, final.name)
    _audit("export.completed", requester, job_id, params, kind=kind, size=size)
    return "done"


def _since(started: float) -> float:
    return time.monotonic() - started


def _discard(part, outcome: str) -> str:
    db.session.rollback()
    part.unlink(missing_ok=True)
    return outcome


def _audit(action: str, requester, job_id: int, params: dict, **facts) -> None:
    job = db.session.get(Job, job_id)
    record(action, actor=requester, target=job, cohort_id=params.get("cohort_id"), **facts)
    db.session.commit()


def work_once(worker_id: str) -> bool:
    """Claim and run one job if any is waiting; return whether one was run."""
    job_id = jobs.claim(worker_id)
    if job_id is None:
        return False
    run_job(job_id, worker_id)
    return True


def run_housekeeping(app: Flask) -> dict[str, int | None]:
    """Each feature's registered periodic task, committed one by one; a failing task is logged
    and rolled back and the others still run. Returns what each handled (None: it failed)."""
    done: dict[str, int | None] = {}
    for item in registry_of(app).housekeeping:
        try:
            done[item.name] = item.task()
            db.session.commit()
        except Exception:  # noqa: BLE001 - one task's failure must not stop the others
            log.exception("housekeeping %r failed", item.name)
            db.session.rollback()
            done[item.name] = None
            continue
        if done[item.name]:
            log.info("housekeeping %r handled %s", item.name, done[item.name])
    return done


def run_worker(app: Flask, *, once: bool = False, poll_seconds: float = 2.0,
               stop: threading.Event | None = None, worker_id: str | None = None) -> int:
    """Process jobs until stopped (or, with once, until the queue is empty); return jobs run."""
    worker_id = worker_id or jobs.default_worker_id()
    stop = stop or threading.Event()
    # None: not yet. time.monotonic() counts from an arbitrary point (boot, on Linux), so a
    # starting value of 0 skipped the first clean-up on a machine up for under ten minutes.
    ran, last_cleanup = 0, None
    while not stop.is_set():
        worked = False
        with app.app_context():
            try:
                jobs.recover_stale()
                if last_cleanup is None or time.monotonic() - last_cleanup >= CLEANUP_EVERY_SECONDS:
                    jobs.cleanup_expired()
                    pdf_cache.prune(app.config.get("EXPORT_RETENTION_DAYS", 7))
                    run_housekeeping(app)
                    last_cleanup = time.monotonic()
                worked = work_once(worker_id)
            except Exception:  # noqa: BLE001 - keep the worker alive through a database blip
                log.exception("export worker loop error")
                db.session.rollback()
            finally:
                db.session.remove()
        ran += int(worked)
        if worked:
            continue
        if once:
            break
        stop.wait(poll_seconds)
    return ran


def start_background_worker(app: Flask, poll_seconds: float = 2.0,
                            stop: threading.Event | None = None) -> threading.Thread:
    """Run the worker loop in a daemon thread of this process (used by `make run`).

    A second daemon thread delivers queued mail; both stop with `stop`.
    """
    stop = stop or threading.Event()
    start_mail_thread(app, stop=stop, poll_seconds=poll_seconds)
    start_webhook_thread(app, stop=stop, poll_seconds=poll_seconds)
    thread = threading.Thread(target=run_worker, args=(app,),
                              kwargs={"poll_seconds": poll_seconds, "stop": stop},
                              name="export-worker", daemon=True)
    thread.start()
    return thread


@click.command("worker")
@click.option("--once", is_flag=True, help="Run every job waiting now, then stop.")
@click.option("--poll-seconds", default=2.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="How long to wait between looks at the queue when it is empty.")
@with_appcontext
def worker_command(once: bool, poll_seconds: float) -> None:
    """Run background export jobs (cohort archives, personal archives) and deliver queued mail."""
    app = current_app._get_current_object()
    click.echo(f"Worker started ({'once' if once else f'polling every {poll_seconds}s'}).")
    stop = threading.Event()
    if once:
        sent = run_mail_worker(app, stop=stop, once=True)
        ran = run_worker(app, once=True, poll_seconds=poll_seconds)
        sent += run_mail_worker(app, stop=stop, once=True)  # mail the jobs just queued
        run_webhook_worker(app, stop=stop, once=True)
        click.echo(f"Worker finished: {plural(ran, 'job')} run, {plural(sent, 'email')} sent.")
        return
    mail = start_mail_thread(app, stop=stop, poll_seconds=poll_seconds)
    hooks = start_webhook_thread(app, stop=stop, poll_seconds=poll_seconds)
    try:
        ran = run_worker(app, poll_seconds=poll_seconds, stop=stop)
    except KeyboardInterrupt:
        click.echo("Worker stopped.")
        return
    finally:
        stop.set()
        mail.join(timeout=30)
        hooks.join(timeout=30)
    click.echo(f"Worker finished: {plural(ran, 'job')} run.")
