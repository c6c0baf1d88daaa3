"""Development goals: list, add, edit, progress notes, delete; others read them per tier."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..database import get_or_404
from ..errors import ConflictError
from ..handlers import attempt
from . import bp, goals, queries
from .authoring import can_view_owned, can_write_portfolio, writing_membership
from .forms import ActionForm, GoalForm, GoalNoteForm
from .models import GOAL_STATUSES, PRIVACY_TIERS, Goal
from .vocabulary import PRIVACY_HINTS


def _load_visible_goal(goal_id) -> Goal:
    if not queries.valid_id(goal_id):
        abort(404)
    return get_or_404(Goal, goal_id, visible=lambda goal: can_view_owned(
        current_user, goal.owner_id, goal.privacy))


def _load_own_goal(goal_id) -> Goal:
    if not queries.valid_id(goal_id):
        abort(404)
    return get_or_404(Goal, goal_id, visible=lambda goal: goal.owner_id == current_user.id)


def _goal_form(goal: Goal | None = None) -> GoalForm:
    membership = writing_membership(current_user)
    groups = queries.competency_groups(membership.cohort.framework_id if membership else None)
    form = GoalForm(obj=goal) if goal is not None else GoalForm()
    if goal is not None and not form.is_submitted():
        form.competencies.data = [item.id for item in goal.competencies]
    form.competencies.choices = queries.competency_choices(groups)
    form.competency_groups = groups
    return form


def _render_form(form, goal=None):
    return render_template("entries/goal_form.html", form=form, goal=goal,
                           privacy_hints=PRIVACY_HINTS)


@bp.route("/goals")
@login_required
def goal_list():
    items = queries.goals_of(current_user.id)
    if not items and not can_write_portfolio(current_user):
        abort(403)
    return render_template("entries/goals.html", goals=items, statuses=GOAL_STATUSES,
                           tiers=PRIVACY_TIERS, can_write=can_write_portfolio(current_user))


@bp.route("/goals/new", methods=["GET", "POST"])
@login_required
def new_goal():
    if not can_write_portfolio(current_user):
        abort(403)
    form = _goal_form()
    if form.validate_on_submit():
        added = attempt(lambda: goals.create_goal(current_user, form.to_data(),
                                                  form_key=form.submission_key.data),
                        form=form, leave=(goals.AlreadyAdded,), success="Goal added.")
        if added:
            return redirect(url_for("entries.show_goal", goal_id=added.value.id))
        if isinstance(added.error, goals.AlreadyAdded):
            return _already_added(added.error, url_for("entries.goal_list"))
    return _render_form(form)


@bp.route("/goals/<int:goal_id>")
@login_required
def show_goal(goal_id):
    goal = _load_visible_goal(goal_id)
    mine = goal.owner_id == current_user.id
    return render_template("entries/goal.html", goal=goal, mine=mine,
                           can_write=mine and can_write_portfolio(current_user),
                           note_form=GoalNoteForm(), statuses=GOAL_STATUSES, tiers=PRIVACY_TIERS)


@bp.route("/goals/<int:goal_id>/edit", methods=["GET", "POST"])
@login_required
def edit_goal(goal_id):
    goal = _load_own_goal(goal_id)
    form = _goal_form(goal)
    if form.validate_on_submit():
        updated = attempt(lambda: goals.update_goal(goal, form.to_data(), current_user,
                                                    expected_lock=form.expected_lock()),
                          form=form, success="Goal updated.")
        if updated:
            return redirect(url_for("entries.show_goal", goal_id=goal.id))
        if isinstance(updated.error, ConflictError):
            form.lock_version.data = str(goal.lock_version)  # saving again is now a choice
            return _render_form(form, goal), 409
    return _render_form(form, goal)


@bp.route("/goals/<int:goal_id>/notes", methods=["POST"])
@login_required
def add_goal_note(goal_id):
    goal = _load_own_goal(goal_id)
    form = GoalNoteForm()
    if form.validate_on_submit():
        added = attempt(lambda: goals.add_note(goal, form.body.data, current_user,
                                               form_key=form.submission_key.data),
                        form=form, leave=(goals.AlreadyAdded,), success="Progress note added.")
        if added:
            return redirect(url_for("entries.show_goal", goal_id=goal.id, _anchor="notes"))
        if isinstance(added.error, goals.AlreadyAdded):
            return _already_added(added.error, url_for("entries.show_goal", goal_id=goal_id,
                                                       _anchor="notes"))
    return render_template("entries/goal.html", goal=goal, mine=True,
                           can_write=can_write_portfolio(current_user), note_form=form,
                           statuses=GOAL_STATUSES, tiers=PRIVACY_TIERS)


def _already_added(error, next_url):
    """The same form's other copy was stored first: show it rather than an error."""
    flash(error.message, "info")
    return redirect(next_url)


@bp.route("/goals/<int:goal_id>/delete", methods=["GET", "POST"])
@login_required
def delete_goal(goal_id):
    goal = _load_own_goal(goal_id)
    form = ActionForm()
    if form.validate_on_submit():
        deleted = attempt(lambda: goals.delete_goal(goal, current_user),
                          success="The goal has been deleted.")
        return redirect(url_for("entries.goal_list") if deleted else
                        url_for("entries.show_goal", goal_id=goal_id))
    return render_template("entries/goal_delete.html", goal=goal, form=form)
