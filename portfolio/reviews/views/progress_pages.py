"""A candidate's progress against the framework, their sign-offs, and programme completion."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from ...access import role_required
from ...handlers import attempt
from ...programmes.access import current_memberships
from .. import queries, services
from ..blueprint import bp
from ..forms import CompletionForm, RevokeCompletionForm
from ..observed import MARKER, observed_counts, observed_label
from ..permissions import can_record_completion, can_use_dashboard, can_view_progress
from ..progress import candidate_progress
from .common import ALREADY, already_recorded


def membership_for(cohort_id, user_id, visible):
    membership = queries.candidate_membership(cohort_id, user_id)
    if membership is None or not visible(current_user, membership):
        abort(404)
    return membership


@bp.route("/progress")
@login_required
def my_progress():
    memberships = current_memberships(current_user.id, role="candidate")
    if not memberships:
        abort(404)
    return redirect(url_for("reviews.candidate_progress_page",
                            cohort_id=memberships[0].cohort_id, user_id=current_user.id))


@bp.route("/cohorts/<int:cohort_id>/candidates/<int:user_id>")
@login_required
def candidate_progress_page(cohort_id, user_id):
    membership = membership_for(cohort_id, user_id, can_view_progress)
    return _render(membership, CompletionForm(formdata=None))


def _render(membership, form, status=200, revoke_form=None):
    progress = candidate_progress(membership.user_id, membership.cohort.framework)
    signoffs, readable = queries.candidate_signoffs(membership, current_user)
    by_code: dict[str, list] = {}
    for signoff in signoffs:
        by_code.setdefault(signoff.competency_code, []).append(signoff)
    observed = {code: count for (_, code), count
                in observed_counts(current_user, [membership.user_id]).items()}
    return render_template(
        "reviews/progress.html", membership=membership, progress=progress, by_code=by_code,
        readable=readable, observed=observed, observed_marker=MARKER,
        observed_label=observed_label,
        completion=queries.completion_for(membership.id), form=form,
        revoke_form=revoke_form or RevokeCompletionForm(formdata=None),
        may_complete=can_record_completion(current_user, membership),
        is_self=membership.user_id == current_user.id,
        uses_dashboard=can_use_dashboard(current_user)), status


@bp.route("/cohorts/<int:cohort_id>/candidates/<int:user_id>/completion", methods=["POST"])
@role_required("programme_lead")
def record_completion(cohort_id, user_id):
    membership = membership_for(cohort_id, user_id, can_record_completion)
    form = CompletionForm()
    if form.validate_on_submit():
        attempt(lambda: services.record_completion(membership, current_user, form.note.data),
                success=lambda _: "Programme completion recorded for "
                                  f"{membership.user.display_name}.")
        return redirect(url_for("reviews.candidate_progress_page", cohort_id=cohort_id,
                                user_id=user_id))
    return _render(membership, form, 400)


@bp.route("/cohorts/<int:cohort_id>/candidates/<int:user_id>/completion/revoke",
          methods=["POST"])
@role_required("programme_lead")
def revoke_completion(cohort_id, user_id):
    membership = membership_for(cohort_id, user_id, can_record_completion)
    completion = queries.completion_for(membership.id)
    if completion is None:
        abort(404)
    form = RevokeCompletionForm()
    if form.validate_on_submit():
        revoked = attempt(
            lambda: services.revoke_completion(completion, current_user, form.reason.data),
            form=form, leave=ALREADY,
            success=lambda _: f"Programme completion revoked for {membership.user.display_name}.")
        if revoked or already_recorded(revoked):
            return redirect(url_for("reviews.candidate_progress_page", cohort_id=cohort_id,
                                    user_id=user_id))
    return _render(membership, CompletionForm(formdata=None), 400, revoke_form=form)
