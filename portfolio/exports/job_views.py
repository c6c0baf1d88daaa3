"""Routes for one export job: its page, its JSON status, its download and its retry."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..database import get_or_404
from ..extensions import db
from ..handlers import button_post
from . import bp, jobs, listing, services
from .downloads import file_attachment
from .models import Job, JobStatus
from .permissions import can_view_job
from .render import human_size

ACTIVE = ("queued", "running")


def _job_or_404(job_id: int) -> Job:
    return get_or_404(Job, job_id, visible=lambda job: can_view_job(current_user, job))


def job_state(job: Job) -> dict:
    """What the progress bar shows, for the page and for the JSON status route."""
    total, done = job.progress_total or 0, min(job.progress_done or 0, job.progress_total or 0)
    percent = 100 if job.status == JobStatus.DONE else (round(100 * done / total) if total else 0)
    return {"status": job.status, "status_label": services.STATUS_LABELS.get(job.status, ""),
            "done": done, "total": total, "percent": percent,
            "label": job.progress_label or "", "active": job.status in ACTIVE}


@bp.route("/jobs/<int:job_id>")
@login_required
def job(job_id):
    job = _job_or_404(job_id)
    return render_template("exports/job.html", job=job, state=job_state(job),
                           title=listing.job_titles([job])[job.id], size=human_size,
                           retention_days=current_app.config["EXPORT_RETENTION_DAYS"],
                           action_form=FlaskForm())


@bp.route("/jobs/<int:job_id>/status")
@login_required
def job_status(job_id):
    job = _job_or_404(job_id)
    return jsonify(job_state(job))


@bp.route("/jobs/<int:job_id>/download")
@login_required
def job_download(job_id):
    job = _job_or_404(job_id)
    path = jobs.result_file(job)
    if path is None:
        flash("This export has no file to download: it is not finished, or it has been "
              "deleted.", "error")
        return redirect(url_for("exports.job", job_id=job.id))
    services.record_download(current_user, "download", target=job,
                             cohort_id=job.params.get("cohort_id"), kind=job.kind,
                             size=path.stat().st_size)
    db.session.commit()
    return file_attachment(path, job.result_filename or path.name,
                           job.result_media_type or "application/octet-stream")


@bp.route("/jobs/<int:job_id>/retry", methods=["POST"])
@login_required
def job_retry(job_id):
    job = _job_or_404(job_id)
    return button_post(lambda: services.retry_job(current_user, job),
                       success="The export has been started again.",
                       to=url_for("exports.job", job_id=job.id))
