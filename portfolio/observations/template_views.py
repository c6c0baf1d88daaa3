"""Programme leads' pages for observation templates: list, draft, change, publish, version."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user

from ..access import role_required
from ..database import get_or_404
from ..errors import ConflictError
from ..forms import options as choice_options
from ..frameworks.models import Framework
from ..handlers import attempt, button_post
from . import queries
from . import templates as services
from .blueprint import bp
from .forms import EditTemplateForm, NewTemplateForm
from .models import ObservationTemplate


def _template_url(template) -> str:
    return url_for("observations.template", template_id=template.id)


@bp.route("/templates")
@role_required("programme_lead")
def templates():
    return render_template("observations/templates.html",
                           groups=queries.templates_by_framework())


@bp.route("/templates/new", methods=["GET", "POST"])
@role_required("programme_lead")
def new_template():
    form = NewTemplateForm()
    form.framework.choices = choice_options(
        (framework.id, framework.label) for framework in queries.frameworks_for_templates())
    if not form.is_submitted():
        form.scale.data = "\n".join(services.DEFAULT_SCALE)
    if form.validate_on_submit():
        framework = get_or_404(Framework, form.framework.data)
        done = attempt(lambda: services.create_template(current_user, framework, form.to_draft()),
                       form=form, success="Draft template saved.")
        if done:
            return redirect(_template_url(done.value))
    return render_template("observations/template_form.html", form=form, template=None), \
        400 if form.errors or form.form_errors else 200


@bp.route("/templates/<int:template_id>")
@role_required("programme_lead")
def template(template_id):
    template = get_or_404(ObservationTemplate, template_id)
    return render_template("observations/template.html", template=template,
                           codes=queries.competency_labels(template))


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@role_required("programme_lead")
def edit_template(template_id):
    template = get_or_404(ObservationTemplate, template_id)
    if not template.is_editable:
        return redirect(_template_url(template))
    form = EditTemplateForm(data={
        "name": template.name, "description": template.description,
        "structure": services.structure_text(template), "scale": "\n".join(template.scale),
        "strengths_prompt": template.strengths_prompt,
        "next_steps_prompt": template.next_steps_prompt,
        "peers_may_record": template.peers_may_record, "lock_version": template.lock_version})
    if form.validate_on_submit():
        done = attempt(lambda: services.update_template(current_user, template, form.to_draft(),
                                                        form.expected_lock()),
                       form=form, leave=(ConflictError,), success="Draft template saved.")
        if done:
            return redirect(_template_url(template))
        if isinstance(done.error, ConflictError):
            return render_template("observations/template_form.html", form=form,
                                   template=template, conflict=done.error.message), 409
    return render_template("observations/template_form.html", form=form, template=template), \
        400 if form.errors or form.form_errors else 200


@bp.route("/templates/<int:template_id>/publish", methods=["POST"])
@role_required("programme_lead")
def publish_template(template_id):
    template = get_or_404(ObservationTemplate, template_id)
    return button_post(lambda: services.publish_template(current_user, template),
                       success="Template published: observers can now record on it.",
                       to=_template_url(template))


@bp.route("/templates/<int:template_id>/new-version", methods=["POST"])
@role_required("programme_lead")
def new_template_version(template_id):
    template = get_or_404(ObservationTemplate, template_id)
    return button_post(lambda: services.new_version(current_user, template),
                       success=lambda copy: f"Version {copy.version} drafted.",
                       to=lambda outcome: _template_url(outcome.value or template))
