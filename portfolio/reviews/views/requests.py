"""Submit for review, withdraw, start, and record decisions (with the 409 conflict page)."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from ...errors import ConflictError, ReadOnlyError
from ...extensions import db
from ...handlers import attempt, button_post
from ...observations.permissions import can_view_observation
from ...programmes.access import assert_cohort_writable
from .. import queries, services
from ..blueprint import bp
from ..forms import ActionForm, SubmitForReviewForm, competency_choices, decision_form_class
from ..links import diff_path
from ..permissions import (
    can_review_request,
    can_submit_for_review,
    can_view_request,
    can_withdraw_request,
)
from ..previews import evidence_previews
from ..services.common import assert_entry_writable, latest_version, local_today
from ..status import RequestStatus, tally
from .common import ALREADY, already_recorded, back_to_entry, entry_for, info_if_already


def request_for(request_id, visible):
    review_request = queries.load_request(request_id)
    if review_request is None or not visible(current_user, review_request):
        abort(404)
    return review_request


def _submit_form(entry, **form_args):
    form = SubmitForReviewForm(prefix="review", **form_args)
    version = latest_version(entry)
    claimed = queries.competencies_by_id(version.competency_ids if version else [])
    form.competencies.choices = competency_choices(claimed.values())
    form.set_observation_choices(queries.attachable_observations(entry.owner_id, entry.cohort_id))
    return form, version


@bp.route("/entries/<int:entry_id>/review-requests/new")
@login_required
def submit_page(entry_id):
    """The request form as a page of its own, where an observation can be attached."""
    entry = entry_for(entry_id, can_submit_for_review)
    form, version = _submit_form(entry, formdata=None)
    return render_template("reviews/submit.html", form=form, entry=entry, version=version)


@bp.route("/entries/<int:entry_id>/review-requests", methods=["POST"])
@login_required
def submit_for_review(entry_id):
    entry = entry_for(entry_id, can_submit_for_review)
    form, version = _submit_form(entry)
    if form.validate_on_submit():
        sent = attempt(lambda: services.submit_for_review(
            entry, current_user, form.competencies.data, form.message.data,
            observation_id=form.observation_id),
            form=form, leave=ALREADY, success="Your entry has been sent for review. You will "
                                              "be told when it has been reviewed.")
        if already_recorded(sent):
            return back_to_entry(entry_id)
        if sent:
            return redirect(url_for("reviews.request_detail", request_id=sent.value.id))
    return render_template("reviews/submit.html", form=form, entry=entry, version=version), 400


@bp.route("/requests/<int:request_id>")
@login_required
def request_detail(request_id):
    review_request = request_for(request_id, can_view_request)
    return _render_request(review_request)


def _read_only_reason(review_request) -> str | None:
    try:
        assert_cohort_writable(review_request.cohort)
        assert_entry_writable(review_request.entry)
    except ReadOnlyError as error:
        return error.message
    return None


def _render_request(review_request, form=None, status=200):
    read_only_reason = _read_only_reason(review_request)
    may_review = can_review_request(current_user, review_request) and not read_only_reason
    competencies = [link.competency for link in sorted(
        review_request.competencies,
        key=lambda link: (link.competency.area.position, link.competency.position))]
    if form is None and may_review and review_request.status == RequestStatus.IN_REVIEW:
        form = decision_form_class(competencies)(formdata=None)
        form.lock_version.data = review_request.lock_version
    signoffs = queries.request_signoffs(review_request.id)
    return render_template(
        "reviews/request.html", review_request=review_request, form=form,
        may_review=may_review, competencies=competencies,
        may_withdraw=can_withdraw_request(current_user, review_request),
        signoffs=signoffs, decisions=tally(signoffs),
        peer_signoffs=queries.peer_signoffs(review_request.entry_id),
        newer=_newer_version(review_request),
        evidence=evidence_previews(review_request.id, queries.version_evidence(
            current_user, review_request.entry_version)),
        sections=queries.version_sections(review_request.entry_version),
        threads=queries.comment_threads(review_request.entry_id),
        action_form=ActionForm(), today=local_today(), read_only_reason=read_only_reason,
        observation=_attached_observation(review_request)), status


def _attached_observation(review_request) -> dict | None:
    """The attached observation, with whether this viewer may follow the link to it."""
    observation = review_request.observation
    if observation is None:
        return None
    return {"observation": observation,
            "readable": can_view_observation(current_user, observation)}


def _newer_version(review_request) -> dict | None:
    """The latest saved version when it is newer than the one sent, with the way to compare."""
    sent, latest = review_request.entry_version.number, review_request.entry.latest_version_number
    if not latest or latest <= sent:
        return None
    return {"number": latest, "count": latest - sent,
            "changes_url": diff_path(review_request.entry_id, sent, latest)}


@bp.route("/requests/<int:request_id>/withdraw", methods=["POST"])
@login_required
def withdraw(request_id):
    review_request = request_for(request_id, can_withdraw_request)
    return _simple_action(review_request, services.withdraw_request,
                          "You have withdrawn the review request.")


@bp.route("/requests/<int:request_id>/start", methods=["POST"])
@login_required
def start(request_id):
    review_request = request_for(request_id, can_review_request)
    return _simple_action(review_request, services.start_review,
                          "Review started. The candidate can no longer withdraw it.")


def _simple_action(review_request, action, message):
    return button_post(lambda: action(review_request, current_user), success=message,
                       refusal_category=info_if_already,
                       to=url_for("reviews.request_detail", request_id=review_request.id))


@bp.route("/requests/<int:request_id>/decision", methods=["POST"])
@login_required
def decide(request_id):
    review_request = request_for(request_id, can_review_request)
    competencies = [link.competency for link in review_request.competencies]
    form = decision_form_class(competencies)()
    if not form.validate_on_submit():
        return _render_request(review_request, form, 400)
    decided = attempt(lambda: services.complete_review(
        review_request, current_user, _decisions(form), form.overall_feedback.data,
        form.lock_version.data, return_for_revision=form.action.data == "return"),
        form=form, leave=(*ALREADY, ConflictError),
        success="Entry returned for revision. The candidate has been told what to change."
        if form.action.data == "return" else "Your decisions have been recorded.")
    if isinstance(decided.error, ConflictError):
        return _conflict(request_id, form, decided.error)
    if not decided and not already_recorded(decided):
        return _render_request(queries.load_request(request_id), form, 400)
    return redirect(url_for("reviews.request_detail", request_id=request_id))


def _decisions(form) -> list[services.Decision]:
    return [services.Decision(competency.id, decision.data or None, feedback.data or "")
            for competency, decision, feedback in form.decision_fields()]


def _conflict(request_id, form, error):
    """Show what happened instead, with the reviewer's own words to copy."""
    db.session.expire_all()
    review_request = queries.load_request(request_id)
    return render_template(
        "reviews/conflict.html", review_request=review_request, error=error, form=form,
        signoffs=queries.request_signoffs(request_id)), 409
