"""The coach developer dashboard and the full review queue."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ...access import is_manager
from ...requests import page_arg
from .. import dashboard as board
from ..blueprint import bp
from ..forms import DashboardFilterForm
from ..permissions import can_use_dashboard
from ..services.common import local_today

DASHBOARD_REQUESTS = 10


def _filters(choices) -> tuple[DashboardFilterForm, board.Filters]:
    form = DashboardFilterForm(request.args)
    form.cohort.choices = [SelectChoice("", "All cohorts")] + [
        SelectChoice(str(c.id), c.name) for c in choices.cohorts]
    form.specialism.choices = [SelectChoice("", "All specialisms")] + [
        SelectChoice(str(s.id), s.name) for s in choices.specialisms]
    form.competency.choices = [SelectChoice("", "All competencies")] + [
        SelectChoice(code, f"{code} {title}") for code, title in choices.competencies]
    form.validate()
    for field in (form.cohort, form.specialism, form.competency):
        if field.errors:  # an unknown value in the address: show everything instead
            field.data, field.errors = "", []
    filters = board.Filters(
        cohort_id=int(form.cohort.data) if form.cohort.data else None,
        specialism_id=int(form.specialism.data) if form.specialism.data else None,
        competency_code=form.competency.data or None)
    return form, filters


def dashboard_context(requests_per_page: int | None) -> dict:
    if not can_use_dashboard(current_user):
        abort(403)
    choices = board.filter_choices(current_user)
    form, filters = _filters(choices)
    per_page = current_app.config["ITEMS_PER_PAGE"]
    on_dashboard = requests_per_page is not None
    requests = board.open_requests(current_user, filters,
                                       1 if on_dashboard else page_arg(),
                                       requests_per_page or per_page)
    args = {key: value for key, value in (("cohort", form.cohort.data),
                                          ("specialism", form.specialism.data),
                                          ("competency", form.competency.data)) if value}
    return {"form": form, "filters": filters, "requests": requests, "today": local_today(),
            "is_manager": is_manager(current_user),
            "filter_args": args, "competency_title": dict(choices.competencies).get(
                filters.competency_code or "")}


@bp.route("/dashboard")
@login_required
def dashboard():
    context = dashboard_context(requests_per_page=DASHBOARD_REQUESTS)
    pagination, rows = board.candidate_rows(
        current_user, context["filters"], page_arg(), current_app.config["ITEMS_PER_PAGE"],
        context["today"])
    return render_template("reviews/dashboard.html", candidates=pagination, rows=rows,
                           activity=board.recent_activity(current_user, context["filters"],
                                                          scope_size=pagination.total),
                           **context)


@bp.route("/requests")
@login_required
def queue():
    return render_template("reviews/queue.html", **dashboard_context(requests_per_page=None))
