"""Programme leads' pages: scheduling panels for a cohort, cancelling one, outcome options."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user

from ..access import is_manager, role_required
from ..database import get_or_404
from ..forms import options as choice_options
from ..handlers import attempt, button_post
from ..programmes.models import Cohort
from . import queries, services
from .blueprint import bp
from .forms import OptionForm, ScheduleForm
from .models import OutcomeOption, ReviewPanel


def _schedule_form(cohort) -> tuple[ScheduleForm, list]:
    candidates, sitters = services.panel_people(cohort)
    form = ScheduleForm()
    form.candidates.choices = choice_options(
        (item.user_id, item.user.display_name) for item in candidates)
    form.chair.choices = choice_options([("", "Choose the chair"), *(
        (user.id, user.display_name) for user in sitters if is_manager(user))])
    form.members.choices = choice_options((user.id, user.display_name) for user in sitters)
    return form, candidates


@bp.route("/cohorts")
@role_required("programme_lead")
def cohorts():
    return render_template("panels/cohorts.html", cohorts=queries.schedulable_cohorts())


@bp.route("/cohorts/<int:cohort_id>/schedule", methods=["GET", "POST"])
@role_required("programme_lead")
def schedule(cohort_id):
    cohort = get_or_404(Cohort, cohort_id)
    form, candidates = _schedule_form(cohort)
    if form.validate_on_submit():
        plan = services.PanelPlan(
            candidate_ids=form.candidates.data, panel_on=form.panel_on.data,
            window_opens_on=form.window_opens_on.data,
            window_closes_on=form.window_closes_on.data, chair_id=form.chair.data,
            member_ids=form.members.data or [], external_name=form.external_name.data or "",
            external_email=form.external_email.data or "")
        done = attempt(lambda: services.schedule_panels(current_user, cohort, plan), form=form,
                       success=lambda panels: f"Scheduled {len(panels)} "
                                              f"panel{'s' if len(panels) != 1 else ''}.")
        if done:
            return redirect(url_for("panels.index"))
    return render_template("panels/schedule.html", cohort=cohort, form=form,
                           candidates=candidates), 400 if form.errors else 200


@bp.route("/<int:panel_id>/cancel", methods=["POST"])
@role_required("programme_lead")
def cancel(panel_id):
    panel = get_or_404(ReviewPanel, panel_id)
    return button_post(lambda: services.cancel_panel(current_user, panel),
                       success="The panel has been cancelled.",
                       to=url_for("panels.show", panel_id=panel_id))


def _changes(form: OptionForm) -> services.OptionChanges:
    return services.OptionChanges(
        label=form.label.data or "", completes_programme=bool(form.completes_programme.data),
        needs_extension=bool(form.needs_extension.data), position=form.position.data or 0,
        retired=bool(form.retired.data))


@bp.route("/outcomes", methods=["GET", "POST"])
@role_required("programme_lead")
def outcome_options():
    form = OptionForm(prefix="new")
    if form.validate_on_submit() and attempt(
            lambda: services.add_option(current_user, _changes(form)), form=form,
            success=lambda option: f"Added the outcome “{option.label}”."):
        return redirect(url_for("panels.outcome_options"))
    return render_template("panels/outcome_options.html", options=queries.options(),
                           form=form), 400 if form.errors else 200


@bp.route("/outcomes/<int:option_id>", methods=["GET", "POST"])
@role_required("programme_lead")
def edit_outcome_option(option_id):
    option = get_or_404(OutcomeOption, option_id)
    form = OptionForm(obj=option)
    if form.validate_on_submit() and attempt(
            lambda: services.update_option(current_user, option, _changes(form)), form=form,
            success="The outcome has been changed."):
        return redirect(url_for("panels.outcome_options"))
    return render_template("panels/outcome_option.html", option=option,
                           form=form), 400 if form.errors else 200
