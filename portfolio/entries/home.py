"""The portfolio home (a candidate's own entries, coverage, goals, feedback) and the read-only
overview of another candidate's portfolio."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..requests import database_id, page_arg
from ..reviews.progress import STATES, progress_for
from . import bp, keeping, queries
from .authoring import (
    can_view_candidate,
    can_write_portfolio,
    owned_visibility,
    writing_membership,
)
from .forms import ENTRY_STATUS_FILTERS, EntryFilterForm, choice_list
from .models import GOAL_STATUSES, PRIVACY_TIERS, SESSION_TYPES
from .philosophy import latest_statement_version
from .reflection_models import MODELS, model_name


def _as_id(value) -> int | None:
    try:
        return database_id(value)
    except ValueError:
        return None


def _filters(form: EntryFilterForm) -> dict:
    form.validate()
    return {
        "competency": _as_id(form.competency.data),
        "model": form.model.data if form.model.data in MODELS else None,
        "status": form.status.data if form.status.data in ENTRY_STATUS_FILTERS else None,
        "date_from": None if form.date_from.errors else form.date_from.data,
        "date_to": None if form.date_to.errors else form.date_to.data,
    }


def coverage(user, groups) -> list[dict]:
    """Areas × competencies of the candidate's framework (`groups`, already loaded for the
    filter), with each competency's state."""
    competencies = [item for group in groups for item in group.competencies]
    if not competencies:
        return []
    progress = progress_for([user.id], competencies)[user.id]
    return [{"area": group.area,
             "items": [progress.items[item.code] for item in group.competencies
                       if item.code in progress.items]}
            for group in groups]


@bp.route("/")
@login_required
def home():
    membership = writing_membership(current_user)
    groups = queries.competency_groups(membership.cohort.framework_id if membership else None)
    form = EntryFilterForm(request.args)
    form.competency.choices = choice_list([("", "Any competency"), *(
        (str(item.id), item.label) for group in groups for item in group.competencies)])
    filters = _filters(form)
    entries = queries.my_entries(current_user.id, filters, page_arg(),
                                 current_app.config["ITEMS_PER_PAGE"])
    return render_template(
        "entries/home.html", membership=membership, form=form, entries=entries,
        filters={key: value for key, value in request.args.items() if key != "page"},
        filtered=any(filters.values()), coverage=coverage(current_user, groups),
        states=STATES, goals=queries.goal_lines(current_user.id),
        feedback=queries.recent_feedback(current_user.id),
        statement=queries.statement_summary(current_user.id),
        can_write=can_write_portfolio(current_user), kept=keeping.pending_rescue(),
        model_name=model_name, tiers=PRIVACY_TIERS, goal_statuses=GOAL_STATUSES,
        session_types=SESSION_TYPES)


@bp.route("/candidates/<int:user_id>")
@login_required
def candidate_portfolio(user_id):
    if user_id == current_user.id:
        return redirect(url_for("entries.home"))
    person = queries.candidate(user_id)
    if person is None or not can_view_candidate(current_user, person.id):
        abort(404)
    entries = queries.shared_entries(current_user, person.id, page_arg(),
                                     current_app.config["ITEMS_PER_PAGE"])
    may_see = owned_visibility(current_user, person.id)
    statement = queries.statement_with_owner(person.id)
    statement_version = None
    if statement is not None and may_see(statement.privacy):
        statement_version = latest_statement_version(statement)
    goals = [goal for goal in queries.goals_of(person.id) if may_see(goal.privacy)]
    return render_template(
        "entries/candidate.html", person=person, entries=entries,
        statement_version=statement_version, goals=goals, model_name=model_name,
        tiers=PRIVACY_TIERS, goal_statuses=GOAL_STATUSES)
