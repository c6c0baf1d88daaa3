"""Export actions the pages call: queue archives, start a failed job again, audit downloads.

Services take the acting user, enforce the rules again, raise DomainError, and only flush.
"""

from __future__ import annotations

from sqlalchemy import func, select

from ..audit.services import record
from ..errors import DomainError
from ..extensions import db
from ..programmes.models import Cohort, CohortMembership, MemberRole, MembershipStatus
from . import jobs
from .models import Job, JobStatus
from .permissions import can_report_on_cohort, can_view_job

KIND_LABELS = {
    "cohort_archive": "Full cohort archive",
    "personal_archive": "My whole portfolio",
    "leap2a_package": "My portfolio as a Leap2A package",
}
STATUS_LABELS = {
    JobStatus.QUEUED: "Waiting to start",
    JobStatus.RUNNING: "In progress",
    JobStatus.DONE: "Ready to download",
    JobStatus.FAILED: "Failed",
    JobStatus.EXPIRED: "Deleted after the retention period",
}


def request_cohort_archive(actor, cohort: Cohort) -> Job:
    """Queue the full archive of a cohort (or return the one already on its way)."""
    if not can_report_on_cohort(actor, cohort):
        raise DomainError("You cannot export this cohort.")
    candidates = db.session.scalar(select(func.count()).select_from(CohortMembership).where(
        CohortMembership.cohort_id == cohort.id, CohortMembership.role == MemberRole.CANDIDATE,
        CohortMembership.status != MembershipStatus.WITHDRAWN)) or 0
    job = jobs.enqueue("cohort_archive", actor, {"cohort_id": cohort.id},
                       label=f"Waiting to start: 0 of {candidates} candidates", total=candidates)
    record("export.requested", actor=actor, target=cohort, cohort_id=cohort.id,
           kind="cohort_archive", job=job.id)
    return job


def request_personal_archive(actor) -> Job:
    """Queue a candidate's own complete archive (private entries included, for them alone)."""
    job = jobs.enqueue("personal_archive", actor, {"user_id": actor.id}, total=3)
    record("export.requested", actor=actor, target=actor, kind="personal_archive", job=job.id)
    return job


def request_leap2a_package(actor) -> Job:
    """Queue a candidate's own portfolio as a Leap2A package, for another e-portfolio system."""
    job = jobs.enqueue("leap2a_package", actor, {"user_id": actor.id}, total=2)
    record("export.requested", actor=actor, target=actor, kind="leap2a_package", job=job.id)
    return job


def retry_job(actor, job: Job) -> Job:
    """Put a failed or expired export back in the queue for the person who asked for it."""
    if not can_view_job(actor, job):
        raise DomainError("This export is not yours.")
    if job.status not in (JobStatus.FAILED, JobStatus.EXPIRED):
        raise DomainError("Only a failed export, or one whose file has been deleted, can be "
                          "started again.")
    job.status, job.error, job.attempts, job.worker_id = JobStatus.QUEUED, None, 0, None
    job.progress_done, job.progress_label = 0, "Waiting to start again"
    job.started_at = job.finished_at = job.heartbeat_at = job.expires_at = None
    job.result_path = job.result_filename = job.result_media_type = job.result_size = None
    record("export.retried", actor=actor, target=job, cohort_id=job.params.get("cohort_id"),
           kind=job.kind)
    db.session.flush()
    return job


def record_download(actor, what: str, *, target=None, cohort_id: int | None = None,
                    **facts) -> None:
    """Audit an export handed straight to the browser (CSV, XLSX, PDF, HTML, job file)."""
    record(f"export.{what}", actor=actor, target=target, cohort_id=cohort_id, **facts)
