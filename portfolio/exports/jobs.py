"""Background export jobs: enqueue, claim safely, heartbeat, recover, finish, expire.

Job state changes run on their own short transactions (`db.engine.begin()`), apart from the
worker's reading session, so progress is visible at once and a crash loses nothing but the
job in hand. Claiming:
  PostgreSQL  SELECT ... FOR UPDATE SKIP LOCKED, then UPDATE, in one transaction;
  SQLite      one UPDATE ... WHERE id = ? AND status = 'queued', checked by its row count.
Either way two workers never run the same job. A worker that dies stops sending heartbeats;
`recover_stale` puts its job back in the queue (or fails it after too many attempts).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import or_, select, update

from ..auth.models import User
from ..database import utcnow
from ..extensions import db
from .models import Job, JobStatus

UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)

log = logging.getLogger(__name__)

DEFAULT_STALE_MINUTES = 10
DEFAULT_MAX_ATTEMPTS = 3
HEARTBEAT_SECONDS = 15
ORPHAN_GRACE_SECONDS = 3600
STALE_MESSAGE = ("The export stopped unexpectedly {attempts} times, so it has been stopped. "
                 "Try again; if it keeps stopping, tell your programme lead or an admin.")
UNEXPECTED_MESSAGE = ("The export could not be finished because of an unexpected problem. "
                      "Nothing has been lost. Try again; if it fails again, tell an admin.")


class JobLost(Exception):
    """Another worker owns the job now (this one was presumed dead): stop quietly."""


class JobFailed(Exception):
    """The export cannot be made; the message is shown to the requester."""


def _config(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def export_folder() -> Path:
    folder = Path(current_app.config["EXPORT_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def enqueue(kind: str, requested_by: User, params: dict, label: str = "Waiting to start",
            total: int = 0) -> Job:
    """Queue a job (flush only), or return the same request already queued or running."""
    for job in db.session.scalars(select(Job).where(
            Job.requested_by_id == requested_by.id, Job.kind == kind,
            Job.status.in_(UNFINISHED))):
        if job.params == params:
            return job
    job = Job(requested_by_id=requested_by.id, kind=kind, params=params,
              status=JobStatus.QUEUED, progress_label=label, progress_total=total)
    db.session.add(job)
    db.session.flush()
    return job


def claim(worker_id: str) -> int | None:
    """Take the oldest queued job for this worker; return its id, or None if none is free."""
    now = utcnow()
    claimed = {"status": JobStatus.RUNNING, "worker_id": worker_id, "attempts": Job.attempts + 1,
               "started_at": now, "heartbeat_at": now, "error": None}
    oldest = select(Job.id).where(Job.status == JobStatus.QUEUED) \
        .order_by(Job.created_at, Job.id)
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            job_id = connection.scalar(oldest.limit(1).with_for_update(skip_locked=True))
            if job_id is None:
                return None
            connection.execute(update(Job).where(Job.id == job_id).values(**claimed))
            return job_id
        for job_id in connection.scalars(oldest.limit(10)).all():
            result = connection.execute(update(Job).where(
                Job.id == job_id, Job.status == JobStatus.QUEUED).values(**claimed))
            if result.rowcount == 1:
                return job_id
    return None


def _owned(job_id: int, worker_id: str):
    return (Job.id == job_id, Job.worker_id == worker_id, Job.status == JobStatus.RUNNING)


def heartbeat(job_id: int, worker_id: str, **progress) -> None:
    """Say this worker is alive (and how far it got); raise JobLost if the job was taken away."""
    values = {"heartbeat_at": utcnow()}
    values.update({f"progress_{key}": value for key, value in progress.items()
                   if value is not None})
    if "progress_label" in values:
        values["progress_label"] = str(values["progress_label"])[:200]
    with db.engine.begin() as connection:
        result = connection.execute(update(Job).where(*_owned(job_id, worker_id)).values(**values))
    if result.rowcount != 1:
        raise JobLost(job_id)


def recover_stale(now: datetime | None = None) -> tuple[int, int]:
    """Requeue running jobs whose worker went silent; fail those out of attempts."""
    now = now or utcnow()
    cutoff = now - timedelta(minutes=_config("EXPORT_STALE_MINUTES", DEFAULT_STALE_MINUTES))
    max_attempts = _config("EXPORT_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)
    silent = (Job.status == JobStatus.RUNNING,
              or_(Job.heartbeat_at.is_(None), Job.heartbeat_at < cutoff))
    with db.engine.begin() as connection:
        failed = connection.execute(
            update(Job).where(*silent, Job.attempts >= max_attempts).values(
                status=JobStatus.FAILED, worker_id=None, finished_at=now,
                error=STALE_MESSAGE.format(attempts=max_attempts))).rowcount
        requeued = connection.execute(
            update(Job).where(*silent).values(
                status=JobStatus.QUEUED, worker_id=None,
                progress_label="Interrupted; waiting to start again")).rowcount
    if failed or requeued:
        log.warning("recovered stale export jobs: %s requeued, %s failed", requeued, failed)
    return requeued, failed


def finish(job_id: int, worker_id: str, part: Path, filename: str, media_type: str) -> Path:
    """Move the finished file into place and mark the job done (raise JobLost if not ours)."""
    now = utcnow()
    final = part.with_name(f"job-{job_id}-{os.urandom(6).hex()}{Path(filename).suffix}")
    os.replace(part, final)
    retention = timedelta(days=_config("EXPORT_RETENTION_DAYS", 7))
    with db.engine.begin() as connection:
        done = connection.execute(update(Job).where(*_owned(job_id, worker_id)).values(
            status=JobStatus.DONE, result_path=final.name, result_filename=filename[:255],
            result_media_type=media_type, result_size=final.stat().st_size, error=None,
            progress_done=Job.progress_total, finished_at=now, heartbeat_at=now,
            expires_at=now + retention)).rowcount
    if done != 1:
        final.unlink(missing_ok=True)
        raise JobLost(job_id)
    return final


def fail(job_id: int, worker_id: str, message: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(update(Job).where(*_owned(job_id, worker_id)).values(
            status=JobStatus.FAILED, error=message[:2000], finished_at=utcnow()))


def result_file(job: Job) -> Path | None:
    """The finished file of a job, if it is still on disk inside the export folder."""
    if job.status != JobStatus.DONE or not job.result_path:
        return None
    if job.expires_at is not None and job.expires_at <= utcnow():
        return None  # past its retention: the next cleanup deletes it
    folder = export_folder().resolve()
    path = (folder / Path(job.result_path).name).resolve()
    return path if path.parent == folder and path.is_file() else None


def cleanup_expired(now: datetime | None = None) -> int:
    """Delete files past their retention and mark their jobs expired; return how many."""
    now = now or utcnow()
    expired = db.session.execute(select(Job.id, Job.result_path).where(
        Job.status == JobStatus.DONE, Job.expires_at < now)).all()
    for job_id, result_path in expired:
        if result_path:
            (export_folder() / Path(result_path).name).unlink(missing_ok=True)
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(
                Job.id == job_id, Job.status == JobStatus.DONE).values(
                status=JobStatus.EXPIRED, result_path=None))
    _remove_abandoned_parts()
    return len(expired)


def _remove_abandoned_parts() -> None:
    """Partial files of jobs no longer running, and results whose job row has gone."""
    running = set(db.session.scalars(select(Job.id).where(Job.status.in_(UNFINISHED))))
    for part in export_folder().glob("job-*.part"):
        job_id = part.stem.removeprefix("job-")
        if not job_id.isdigit() or int(job_id) not in running:
            part.unlink(missing_ok=True)
    kept = set(db.session.scalars(select(Job.result_path).where(Job.result_path.is_not(None))))
    # A result is renamed into place just before its row is updated: leave young files alone.
    settled = time.time() - ORPHAN_GRACE_SECONDS
    for result in export_folder().glob("job-*-*"):
        if result.name not in kept and result.stat().st_mtime < settled:
            result.unlink(missing_ok=True)


@dataclass
class JobContext:
    """What a job runner gets: who asked, what for, where to write, how to report progress."""

    job_id: int
    worker_id: str
    requester: User
    params: dict
    part: Path
    _last_beat: float = 0.0

    def progress(self, done: int, total: int, label: str) -> None:
        heartbeat(self.job_id, self.worker_id, done=done, total=total, label=label)
        self._last_beat = _monotonic()

    def beat(self) -> None:
        """Cheap to call often (every chunk): sends a heartbeat at most every few seconds."""
        if _monotonic() - self._last_beat >= HEARTBEAT_SECONDS:
            heartbeat(self.job_id, self.worker_id)
            self._last_beat = _monotonic()


def _monotonic() -> float:
    return time.monotonic()


def default_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{threading.get_ident() % 100000}"
