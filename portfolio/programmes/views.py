"""Programme pages: overview, years, cohorts, managed lists, 'my cohort' and rollover."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..access import role_required
from ..database import get_or_404
from ..frameworks.models import FrameworkStatus
from ..handlers import attempt, button_post, refuse
from ..wording import plural
from . import bp, queries, rollover, services
from .forms import (
    ActionForm,
    CohortForm,
    ListItemEditForm,
    ListItemForm,
    RolloverForm,
    YearForm,
    YearStatusForm,
    options,
)
from .models import Cohort, ProgrammeYear
from .permissions import can_manage_programme, can_see_member_emails, can_view_cohort

MANAGE = "programme_lead"  # role_required admits programme leads and admins


def refuse_if_archived(cohort: Cohort):
    """A redirect with a clear message when the cohort's year is archived, else None."""
    if cohort.is_read_only:
        return refuse(_archived_message(cohort.year),
                      url_for("programmes.cohort", cohort_id=cohort.id))
    return None


def refuse_if_year_archived(year: ProgrammeYear):
    """A redirect to the overview when the programme year is archived, else None."""
    if year.is_archived:
        return refuse(_archived_message(year), url_for("programmes.overview"))
    return None


def _archived_message(year: ProgrammeYear) -> str:
    return f"The {year.label} programme year is archived, so nothing in it can be changed."


# --- overview and years -----------------------------------------------------------------------

@bp.route("/")
@role_required(MANAGE)
def overview():
    return render_template("programmes/overview.html", years=queries.overview(),
                           transitions=services.YEAR_TRANSITIONS,
                           status_labels=services.YEAR_STATUS_LABELS,
                           action_form=YearStatusForm())


@bp.route("/years/new", methods=["GET", "POST"])
@role_required(MANAGE)
def new_year():
    form = YearForm()
    if request.method == "GET":
        _suggest_next_year(form)
    if form.validate_on_submit() and (done := attempt(
            lambda: services.create_year(current_user, _year_details(form)), form=form,
            success=lambda year: f"Programme year {year.label} added. Add its cohorts next.")):
        return redirect(url_for("programmes.overview", _anchor=f"year-{done.value.id}"))
    return render_template("programmes/year_form.html", form=form, year=None)


@bp.route("/years/<int:year_id>/edit", methods=["GET", "POST"])
@role_required(MANAGE)
def edit_year(year_id):
    year = get_or_404(ProgrammeYear, year_id)
    if refusal := refuse_if_year_archived(year):
        return refusal
    form = YearForm(obj=year)
    if form.validate_on_submit() and attempt(
            lambda: services.update_year(current_user, year, _year_details(form)), form=form,
            success="Programme year saved."):
        return redirect(url_for("programmes.overview", _anchor=f"year-{year.id}"))
    return render_template("programmes/year_form.html", form=form, year=year)


@bp.route("/years/<int:year_id>/status", methods=["POST"])
@role_required(MANAGE)
def year_status(year_id):
    year = get_or_404(ProgrammeYear, year_id)
    form = YearStatusForm()
    return button_post(
        lambda: services.change_year_status(current_user, year, form.status.data), form=form,
        success=lambda _: f"{year.label} is now "
                          f"{services.YEAR_STATUS_LABELS[year.status].lower()}.",
        to=url_for("programmes.overview", _anchor=f"year-{year.id}"))


def _year_details(form) -> services.YearDetails:
    return services.YearDetails(form.label.data, form.starts_on.data, form.ends_on.data)


def _suggest_next_year(form) -> None:
    latest = queries.latest_year()
    start = latest.starts_on.year + 1 if latest else date.today().year
    form.label.data = f"{start}-{start + 1}"
    form.starts_on.data, form.ends_on.data = date(start, 9, 1), date(start + 1, 8, 31)


# --- cohorts ----------------------------------------------------------------------------------

@bp.route("/years/<int:year_id>/cohorts/new", methods=["GET", "POST"])
@role_required(MANAGE)
def new_cohort(year_id):
    year = get_or_404(ProgrammeYear, year_id)
    if refusal := refuse_if_year_archived(year):
        return refusal
    form = CohortForm()
    _cohort_choices(form)
    if request.method == "GET":
        form.onboarding_on.data, form.ends_on.data = year.starts_on, year.ends_on
        form.turnaround_days.data, form.capacity.data = 14, 30
    if form.validate_on_submit() and (done := attempt(
            lambda: services.create_cohort(current_user, year, _cohort_details(form)),
            form=form, success=lambda cohort: f"Cohort {cohort.name} added. Invite its "
                                              "members next.")):
        return redirect(url_for("programmes.cohort", cohort_id=done.value.id))
    return render_template("programmes/cohort_form.html", form=form, year=year, cohort=None)


@bp.route("/cohorts/<int:cohort_id>")
@login_required
def cohort(cohort_id):
    cohort = get_or_404(Cohort, cohort_id, visible=lambda c: can_view_cohort(current_user, c))
    page = queries.cohort_page(cohort)
    return render_template("programmes/cohort.html", page=page, cohort=cohort,
                           groups=queries.group_members(page),
                           manage=can_manage_programme(current_user),
                           show_emails=can_see_member_emails(current_user, cohort),
                           action_form=ActionForm())


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@role_required(MANAGE)
def edit_cohort(cohort_id):
    cohort = get_or_404(Cohort, cohort_id)
    if refusal := refuse_if_archived(cohort):
        return refusal
    form = CohortForm(obj=cohort)
    _cohort_choices(form, cohort)
    if form.validate_on_submit() and attempt(
            lambda: services.update_cohort(current_user, cohort, _cohort_details(form)),
            form=form, success="Cohort saved."):
        return redirect(url_for("programmes.cohort", cohort_id=cohort.id))
    return render_template("programmes/cohort_form.html", form=form, year=cohort.year,
                           cohort=cohort)


def _cohort_choices(form, cohort: Cohort | None = None) -> None:
    form.pathway_id.choices = options([
        ("", "Choose a pathway"), *queries.pathway_choices(cohort.pathway_id if cohort else None)])
    frameworks = queries.published_frameworks()
    if cohort is not None and cohort.framework not in frameworks:
        frameworks.insert(0, cohort.framework)
    form.framework_id.choices = options([("", "Choose a framework version"),
                                         *((f.id, f.label) for f in frameworks)])


def _cohort_details(form) -> services.CohortDetails:
    return services.CohortDetails(
        name=form.name.data, pathway_id=form.pathway_id.data,
        framework_id=form.framework_id.data, onboarding_on=form.onboarding_on.data,
        ends_on=form.ends_on.data, turnaround_days=form.turnaround_days.data,
        capacity=form.capacity.data)


@bp.route("/my-cohort")
@login_required
def my_cohort():
    memberships = queries.my_memberships(current_user.id)
    if len(memberships) == 1:
        return redirect(url_for("programmes.cohort", cohort_id=memberships[0].cohort_id))
    return render_template("programmes/my_cohorts.html", memberships=memberships)


# --- rollover ---------------------------------------------------------------------------------

@bp.route("/cohorts/<int:cohort_id>/rollover", methods=["GET", "POST"])
@role_required(MANAGE)
def start_next_year(cohort_id):
    cohort = get_or_404(Cohort, cohort_id)
    if refusal := refuse_if_archived(cohort):
        return refusal
    form, years = RolloverForm(), rollover.target_years(cohort)
    _rollover_choices(form, cohort, years)
    plan = None
    if form.validate_on_submit():
        plan, new_cohort = attempt(lambda: _plan_or_start(cohort, form), form=form).value or (
            None, None)
        if new_cohort is not None:
            flash(f"{new_cohort.label} started with {plural(len(plan.members), 'member')} "
                  f"carried over. You can now close and archive {cohort.year.label}.", "success")
            return redirect(url_for("programmes.cohort", cohort_id=new_cohort.id))
        if plan is not None:
            if request.form.get("action") == "confirm":
                flash("The choices changed since the preview. Check the preview below and "
                      "confirm again.", "warning")
            form.digest.data = plan.digest
    return render_template("programmes/rollover.html", form=form, cohort=cohort, plan=plan,
                           years=years, candidates=rollover.rollover_candidates(cohort))


def _plan_or_start(cohort: Cohort, form):
    """The rollover plan, and the new cohort when the confirmed plan is the one previewed."""
    plan = rollover.plan_rollover(cohort, form.year_id.data, form.framework_id.data,
                                  form.name.data, form.membership_ids.data)
    if request.form.get("action") == "confirm" and form.digest.data == plan.digest:
        return plan, rollover.execute_rollover(current_user, plan)
    return plan, None


def _rollover_choices(form, cohort: Cohort, years) -> None:
    form.year_id.choices = options((y.id, y.label) for y in years)
    frameworks = queries.published_frameworks()
    form.framework_id.choices = options((f.id, f.label) for f in frameworks)
    members = rollover.rollover_candidates(cohort)
    form.membership_ids.choices = options((m.id, m.user.display_name) for m in members)
    if request.method == "GET":
        form.year_id.data = years[0].id if years else None
        form.name.data = rollover.suggested_name(cohort, years[0] if years else None)
        keep = cohort.framework if cohort.framework.status == FrameworkStatus.PUBLISHED \
            else None
        form.framework_id.data = keep.id if keep else (frameworks[0].id if frameworks else None)
        form.membership_ids.data = rollover.default_member_ids(cohort)


# --- managed lists ----------------------------------------------------------------------------

@bp.route("/lists")
@role_required(MANAGE)
def lists():
    return render_template("programmes/lists.html", lists=queries.reference_lists(),
                           forms={kind: ListItemForm(prefix=kind) for kind in
                                  services.LIST_MODELS})


@bp.route("/lists/<kind>/new", methods=["POST"])
@role_required(MANAGE)
def add_list_item(kind):
    if kind not in services.LIST_MODELS:
        abort(404)
    form = ListItemForm(prefix=kind)
    if form.validate_on_submit() and attempt(
            lambda: services.add_list_item(current_user, kind, form.name.data), form=form,
            success=lambda item: f"“{item.name}” added."):
        return redirect(url_for("programmes.lists", _anchor=kind))
    forms = {name: ListItemForm(prefix=name, formdata=None) for name in services.LIST_MODELS}
    forms[kind] = form
    return render_template("programmes/lists.html", lists=queries.reference_lists(),
                           forms=forms)


@bp.route("/lists/<kind>/<int:item_id>", methods=["GET", "POST"])
@role_required(MANAGE)
def edit_list_item(kind, item_id):
    if kind not in services.LIST_MODELS:
        abort(404)
    item = get_or_404(services.LIST_MODELS[kind], item_id)
    form = ListItemEditForm(obj=item)
    if form.validate_on_submit() and attempt(
            lambda: services.update_list_item(current_user, kind, item, form.name.data,
                                              form.position.data, form.active.data),
            form=form, success=lambda _: f"“{item.name}” saved."):
        return redirect(url_for("programmes.lists", _anchor=kind))
    return render_template("programmes/list_item_form.html", form=form, item=item, kind=kind)
