"""Routes for the evidence library: load, check access, act through services, commit once."""

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

from ..database import get_or_404
from ..errors import render_error
from ..handlers import attempt, button_post
from ..requests import page_arg
from . import queries, services
from .blueprint import bp
from .filetypes import ACCEPT_ATTRIBUTE
from .forms import ActionForm, DetailsForm, LinkForm, UploadForm
from .links import entry_url
from .models import Evidence
from .permissions import (
    can_manage_evidence,
    can_upload_evidence,
    can_use_library,
    can_view_evidence,
    is_owner,
)


def own_evidence_or_404(evidence_id) -> Evidence:
    return get_or_404(Evidence, evidence_id, visible=lambda e: is_owner(current_user, e))


def _library_only():
    if not can_use_library(current_user):
        abort(403)


@bp.route("/")
@login_required
def library():
    _library_only()
    pagination = queries.library_page(current_user.id, page_arg(), current_app.config["ITEMS_PER_PAGE"])
    counts = queries.attached_counts([item.id for item in pagination.items])
    return render_template("evidence/library.html", pagination=pagination, counts=counts,
                           used=queries.bytes_used(current_user.id),
                           can_add=can_upload_evidence(current_user))


@bp.route("/upload", methods=["GET", "POST"])
@login_required
def upload():
    _library_only()
    form = UploadForm()
    if form.validate_on_submit() and (uploaded := attempt(
            lambda: services.upload_files(current_user, form.chosen_files()), form=form)):
        return finish_upload(form, uploaded.value, url_for("evidence.library"),
                             "evidence/upload.html")
    return upload_page(form, "evidence/upload.html")


def upload_page(form, template, status=200, **context):
    """The upload form again (with its errors), as a page or, for the script, as JSON."""
    if wants_json():
        errors = [message for field in form for message in field.errors] + form.form_errors
        return jsonify(uploaded=[], errors=errors, redirect=None), status if errors else 400
    context.setdefault("can_add", can_upload_evidence(current_user))
    context.setdefault("limits", upload_limits())
    context.setdefault("accept", ACCEPT_ATTRIBUTE)
    return render_template(template, form=form, **context), status


def finish_upload(form, results, done_url, template, **context):
    """Say what was stored and what was refused (by name), keeping the form for another try."""
    stored = [result for result in results if result.outcome]
    failures = [result.error for result in results if result.error]
    _flash_stored(stored)
    if wants_json():
        return jsonify(uploaded=[{"title": r.outcome.evidence.title, "reused": r.outcome.reused}
                                 for r in stored],
                       errors=failures, redirect=done_url), 200 if stored else 422
    if not failures:
        return redirect(done_url)
    form.files.errors = failures
    return upload_page(form, template, **context)


def _flash_stored(stored) -> None:
    new = [r for r in stored if not r.outcome.reused]
    if len(new) == 1:
        flash(f"“{new[0].outcome.evidence.title}” uploaded.", "success")
    elif new:
        flash(f"{len(new)} files uploaded.", "success")
    for result in stored:
        if result.outcome.reused:
            flash(f"{result.filename} was already in your evidence library as "
                  f"“{result.outcome.evidence.title}”, so that copy was used.", "info")


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def upload_limits() -> dict:
    config = current_app.config
    return {"file": config["UPLOAD_MAX_FILE_BYTES"],
            "file_label": services.human_size(config["UPLOAD_MAX_FILE_BYTES"]),
            "quota_label": services.human_size(config["UPLOAD_MAX_CANDIDATE_BYTES"]),
            "request": config.get("MAX_CONTENT_LENGTH") or 0}


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    """An upload over the request limit: say so on the upload form rather than a bare 413."""
    form = UploadForm(formdata=None)
    limit = services.human_size(current_app.config.get("MAX_CONTENT_LENGTH") or 0)
    form.files.errors = [f"The files you chose add up to more than {limit}, the most one upload "
                         "can carry. Upload fewer or smaller files at a time."]
    if request.endpoint == "evidence.upload_to_entry":
        from .entry_views import entry_page_context

        try:
            context = entry_page_context((request.view_args or {}).get("entry_id"))
        except NotFound:
            return render_error(404)
        return upload_page(form, "evidence/attach.html", status=413, **context)
    return upload_page(form, "evidence/upload.html", status=413)


@bp.route("/links/new", methods=["GET", "POST"])
@login_required
def add_link():
    _library_only()
    form = LinkForm()
    if form.validate_on_submit() and attempt(
            lambda: services.add_link(current_user, title=form.title.data, url=form.url.data,
                                      description=form.description.data or ""),
            form=form, success=lambda evidence: f"Link “{evidence.title}” added to your evidence."):
        return redirect(url_for("evidence.library"))
    return render_template("evidence/link.html", form=form,
                           can_add=can_upload_evidence(current_user))


@bp.route("/<int:evidence_id>")
@login_required
def detail(evidence_id):
    evidence = get_or_404(Evidence, evidence_id,
                          visible=lambda e: can_view_evidence(current_user, e))
    context = {"evidence": evidence, "owner_view": is_owner(current_user, evidence)}
    if context["owner_view"]:
        context.update(entries=queries.entries_using(evidence),
                       blockers=queries.reviewed_versions_listing(evidence),
                       can_manage=can_manage_evidence(current_user, evidence),
                       entry_url=entry_url, action_form=ActionForm())
    return render_template("evidence/detail.html", **context)


@bp.route("/<int:evidence_id>/edit", methods=["GET", "POST"])
@login_required
def edit(evidence_id):
    evidence = own_evidence_or_404(evidence_id)
    form = DetailsForm(obj=evidence)
    if form.validate_on_submit() and attempt(
            lambda: services.update_details(current_user, evidence, title=form.title.data,
                                            description=form.description.data or ""),
            form=form, success="Evidence details saved."):
        return redirect(url_for("evidence.detail", evidence_id=evidence.id))
    return render_template("evidence/edit.html", form=form, evidence=evidence,
                           can_manage=can_manage_evidence(current_user, evidence))


@bp.route("/<int:evidence_id>/delete", methods=["POST"])
@login_required
def delete(evidence_id):
    evidence = own_evidence_or_404(evidence_id)
    title, detail_url = evidence.title, url_for("evidence.detail", evidence_id=evidence.id)
    return button_post(lambda: services.delete_evidence(current_user, evidence),
                       success=f"“{title}” deleted.",
                       to=lambda done: url_for("evidence.library") if done else detail_url)
