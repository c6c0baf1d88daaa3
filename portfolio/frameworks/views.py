"""Framework pages: list, view, create, import, export, publish, retire, versions, diff."""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..access import role_required
from ..database import get_or_404
from ..downloads import send_download
from ..handlers import attempt, button_post, refuse
from ..programmes.csvtools import read_limited
from . import bp, diff, queries, services, transfer
from .forms import ActionForm, FrameworkForm, ImportForm
from .models import Framework
from .permissions import can_manage_frameworks, can_view_framework

MANAGE = "programme_lead"


@bp.route("/")
@role_required(MANAGE)
def index():
    return render_template("frameworks/index.html", groups=queries.framework_index(),
                           counts=queries.cohort_counts())


@bp.route("/new", methods=["GET", "POST"])
@role_required(MANAGE)
def new():
    form = FrameworkForm()
    if form.validate_on_submit() and (created := attempt(
            lambda: services.create_framework(current_user, form.name.data,
                                              form.description.data),
            form=form, success="Framework created as a draft. Add its areas and competencies.")):
        return redirect(url_for("frameworks.detail", framework_id=created.value.id))
    return render_template("frameworks/framework_form.html", form=form, framework=None)


@bp.route("/import", methods=["GET", "POST"])
@role_required(MANAGE)
def import_file():
    form, problems = ImportForm(), []
    if form.validate_on_submit():
        imported = attempt(lambda: _import(form), form=form, success=lambda framework: (
            f"Imported as a draft: {framework.label}. Check it, then publish it."))
        if imported:
            return redirect(url_for("frameworks.detail", framework_id=imported.value.id))
        problems = getattr(imported.error, "problems", [])
    return render_template("frameworks/import.html", form=form, problems=problems)


def _import(form) -> Framework:
    upload = form.file.data
    data = read_limited(upload.stream, transfer.MAX_BYTES)
    return transfer.import_framework(current_user, data, upload.filename, form.name.data or "")


@bp.route("/<int:framework_id>")
@login_required
def detail(framework_id):
    get_or_404(Framework, framework_id, visible=lambda f: can_view_framework(current_user, f))
    framework = queries.load_with_content(framework_id)
    manage = can_manage_frameworks(current_user)
    return render_template("frameworks/detail.html", framework=framework, manage=manage,
                           cohorts=queries.cohorts_using(framework) if manage else [],
                           previous=queries.previous_version(framework) if manage else None,
                           action_form=ActionForm())


@bp.route("/<int:framework_id>/edit", methods=["GET", "POST"])
@role_required(MANAGE)
def edit(framework_id):
    framework = get_or_404(Framework, framework_id)
    if refusal := refuse_if_published(framework):
        return refusal
    form = FrameworkForm(obj=framework)
    if form.validate_on_submit() and attempt(
            lambda: services.update_framework(current_user, framework, form.name.data,
                                              form.description.data),
            form=form, success="Framework saved."):
        return redirect(url_for("frameworks.detail", framework_id=framework.id))
    return render_template("frameworks/framework_form.html", form=form, framework=framework)


def refuse_if_published(framework: Framework):
    """A redirect explaining that published versions never change, else None."""
    if framework.is_editable:
        return None
    return refuse(f"{framework.label} is {framework.status}, so it cannot be changed. Make a "
                  "new version to edit it.", url_for("frameworks.detail", framework_id=framework.id))


def _framework_action(framework_id, action, message):
    framework = get_or_404(Framework, framework_id)
    detail_url = url_for("frameworks.detail", framework_id=framework.id)

    def after(done) -> str:
        if isinstance(done.value, Framework):
            return url_for("frameworks.detail", framework_id=done.value.id)
        deleted = done and action is services.delete_draft
        return url_for("frameworks.index") if deleted else detail_url

    return button_post(lambda: action(current_user, framework),
                       success=lambda _: message.format(framework=framework), to=after)


@bp.route("/<int:framework_id>/publish", methods=["POST"])
@role_required(MANAGE)
def publish(framework_id):
    return _framework_action(framework_id, services.publish,
                             "{framework.label} is published. Cohorts can now use it.")


@bp.route("/<int:framework_id>/retire", methods=["POST"])
@role_required(MANAGE)
def retire(framework_id):
    return _framework_action(framework_id, services.retire,
                             "{framework.label} is retired. Cohorts using it keep it.")


@bp.route("/<int:framework_id>/new-version", methods=["POST"])
@role_required(MANAGE)
def new_version(framework_id):
    return _framework_action(framework_id, services.new_version,
                             "A new draft version was made from {framework.label}.")


@bp.route("/<int:framework_id>/delete", methods=["POST"])
@role_required(MANAGE)
def delete(framework_id):
    return _framework_action(framework_id, services.delete_draft, "The draft was deleted.")


@bp.route("/<int:framework_id>/diff")
@role_required(MANAGE)
def compare(framework_id):
    framework = get_or_404(Framework, framework_id)
    others = queries.other_versions(framework)
    against_id = request.args.get("against", type=int)
    against = next((f for f in others if f.id == against_id), None) if against_id else \
        queries.previous_version(framework)
    changes = diff.compare(queries.load_with_content(against.id),
                           queries.load_with_content(framework.id)) if against else None
    return render_template("frameworks/diff.html", framework=framework, against=against,
                           others=others, changes=changes)


@bp.route("/<int:framework_id>/export.json")
@role_required(MANAGE)
def export_json(framework_id):
    framework = get_or_404(Framework, framework_id)
    return _download(transfer.export_json(framework), "application/json",
                     transfer.export_filename(framework, "json"))


@bp.route("/<int:framework_id>/export.csv")
@role_required(MANAGE)
def export_csv(framework_id):
    framework = get_or_404(Framework, framework_id)
    # A byte-order mark lets Excel open the UTF-8 file with accents intact.
    return _download("\ufeff" + transfer.export_csv(framework), "text/csv",
                     transfer.export_filename(framework, "csv"))


def _download(text: str, mimetype: str, filename: str) -> Response:
    media_type = f"{mimetype}; charset=utf-8" if mimetype.startswith("text/") else mimetype
    return send_download(text.encode("utf-8"), filename, media_type, private=False)
