"""Editing a draft framework: its areas and competencies, and their order."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..access import role_required
from ..database import get_or_404
from ..handlers import attempt, button_post
from . import bp, services
from .forms import AreaForm, CompetencyForm, MoveForm
from .models import Competency, CompetencyArea, Framework
from .views import MANAGE, refuse_if_published


def _of(framework_id: int):
    return lambda row: row.framework_id == framework_id


def _back(framework: Framework, anchor: str | None = None):
    return redirect(url_for("frameworks.detail", framework_id=framework.id, _anchor=anchor))


# --- areas ------------------------------------------------------------------------------------

@bp.route("/<int:framework_id>/areas/new", methods=["GET", "POST"])
@role_required(MANAGE)
def new_area(framework_id):
    framework = get_or_404(Framework, framework_id)
    return _area_form(framework, None)


@bp.route("/<int:framework_id>/areas/<int:area_id>/edit", methods=["GET", "POST"])
@role_required(MANAGE)
def edit_area(framework_id, area_id):
    area = get_or_404(CompetencyArea, area_id, visible=_of(framework_id))
    return _area_form(area.framework, area)


def _area_form(framework: Framework, area: CompetencyArea | None):
    if refusal := refuse_if_published(framework):
        return refusal
    form = AreaForm(obj=area)
    if form.validate_on_submit() and (saved := attempt(
            lambda: services.save_area(current_user, framework, area, form.title.data,
                                       form.description.data),
            form=form, success=lambda saved: f"Area “{saved.title}” saved.")):
        return _back(framework, f"area-{saved.value.id}")
    return render_template("frameworks/area_form.html", form=form, framework=framework,
                           area=area)


@bp.route("/<int:framework_id>/areas/<int:area_id>/delete", methods=["POST"])
@role_required(MANAGE)
def delete_area(framework_id, area_id):
    area = get_or_404(CompetencyArea, area_id, visible=_of(framework_id))
    return _post_action(area.framework, services.delete_area, area,
                        f"Area “{area.title}” and its competencies deleted.")


@bp.route("/<int:framework_id>/areas/<int:area_id>/move", methods=["POST"])
@role_required(MANAGE)
def move_area(framework_id, area_id):
    area = get_or_404(CompetencyArea, area_id, visible=_of(framework_id))
    return _move(area.framework, services.move_area, area, f"area-{area.id}")


# --- competencies -----------------------------------------------------------------------------

@bp.route("/<int:framework_id>/competencies/new", methods=["GET", "POST"])
@role_required(MANAGE)
def new_competency(framework_id):
    framework = get_or_404(Framework, framework_id)
    return _competency_form(framework, None)


@bp.route("/<int:framework_id>/competencies/<int:competency_id>/edit",
          methods=["GET", "POST"])
@role_required(MANAGE)
def edit_competency(framework_id, competency_id):
    competency = get_or_404(Competency, competency_id, visible=_of(framework_id))
    return _competency_form(competency.area.framework, competency)


def _competency_form(framework: Framework, competency: Competency | None):
    if refusal := refuse_if_published(framework):
        return refusal
    if not framework.areas:
        flash("Add an area first: competencies belong to an area.", "error")
        return _back(framework)
    form = CompetencyForm(obj=competency)
    form.area_id.choices = [SelectChoice(area.id, area.title) for area in framework.areas]
    if request.method == "GET" and competency is None:
        form.area_id.data = request.args.get("area", type=int)
        form.developer_signoffs_required.data, form.peer_signoffs_required.data = 1, 0
    if form.validate_on_submit():
        details = services.CompetencyDetails(
            code=form.code.data, title=form.title.data, description=form.description.data,
            evidence_guidance=form.evidence_guidance.data,
            developer_signoffs_required=form.developer_signoffs_required.data,
            peer_signoffs_required=form.peer_signoffs_required.data, area_id=form.area_id.data)
        if saved := attempt(
                lambda: services.save_competency(current_user, framework, competency, details),
                form=form, success=lambda saved: f"Competency {saved.code} saved."):
            return _back(framework, f"competency-{saved.value.id}")
    return render_template("frameworks/competency_form.html", form=form, framework=framework,
                           competency=competency)


@bp.route("/<int:framework_id>/competencies/<int:competency_id>/delete", methods=["POST"])
@role_required(MANAGE)
def delete_competency(framework_id, competency_id):
    competency = get_or_404(Competency, competency_id, visible=_of(framework_id))
    return _post_action(competency.area.framework, services.delete_competency, competency,
                        f"Competency {competency.code} deleted.")


@bp.route("/<int:framework_id>/competencies/<int:competency_id>/move", methods=["POST"])
@role_required(MANAGE)
def move_competency(framework_id, competency_id):
    competency = get_or_404(Competency, competency_id, visible=_of(framework_id))
    return _move(competency.area.framework, services.move_competency, competency,
                 f"competency-{competency.id}")


def _post_action(framework: Framework, action, target, message: str):
    return button_post(lambda: action(current_user, target), success=message,
                       to=url_for("frameworks.detail", framework_id=framework.id))


def _move(framework: Framework, action, target, anchor: str):
    form = MoveForm()
    return button_post(lambda: action(current_user, target, form.direction.data), form=form,
                       success=None, to=url_for("frameworks.detail", framework_id=framework.id,
                                                _anchor=anchor))
