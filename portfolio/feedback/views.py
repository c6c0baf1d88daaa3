"""The candidate's and readers' pages: the requests, asking, one feedback, withdrawing, sharing."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..database import get_or_404, utcnow
from ..entries.authoring import writing_membership
from ..forms import options
from ..handlers import attempt, button_post
from . import queries, services
from .blueprint import bp
from .forms import AskForm, ShareForm
from .models import FeedbackRequest
from .permissions import can_manage_request, can_read_feedback, readable_feedback


def _readable_or_404(request_id) -> FeedbackRequest:
    get_or_404(FeedbackRequest, request_id,
               visible=lambda row: can_read_feedback(current_user, row))
    return queries.request_with_feedback(int(request_id))


def _managed_or_404(request_id) -> FeedbackRequest:
    return get_or_404(FeedbackRequest, request_id,
                      visible=lambda row: can_manage_request(current_user, row))


@bp.route("/")
@login_required
def index():
    return render_template("feedback/index.html", requests=queries.requests_of(current_user.id),
                           can_ask=writing_membership(current_user) is not None,
                           per_day=services.per_day(), now=utcnow())


@bp.route("/ask", methods=["GET", "POST"])
@login_required
def ask():
    if writing_membership(current_user) is None:
        abort(403)
    form = AskForm()
    form.entry_id.choices = options([("", "A session not in my portfolio"), *[
        (str(ident), title or "Untitled entry")
        for ident, title in queries.entries_to_ask_about(current_user.id)]])
    if form.validate_on_submit() and attempt(
            lambda: services.ask_for_feedback(
                current_user, entry_id=form.entry_id.data, session_title=form.session_title.data,
                session_date=form.session_date.data, question=form.question.data or "",
                recipient_name=form.recipient_name.data,
                recipient_email=form.recipient_email.data,
                relationship=form.relationship.data), form=form,
            success=lambda made: f"We have emailed {made[0].recipient_name} a link to give "
                                 "feedback. It works once and expires in 14 days."):
        return redirect(url_for("feedback.index"))
    return render_template("feedback/ask.html", form=form)


@bp.route("/<int:request_id>")
@login_required
def show(request_id):
    request = _readable_or_404(request_id)
    return render_template("feedback/show.html", request=request,
                           manage=can_manage_request(current_user, request),
                           share_form=ShareForm(with_peers=request.shared_with_peers))


@bp.route("/<int:request_id>/withdraw", methods=["POST"])
@login_required
def withdraw(request_id):
    request = _managed_or_404(request_id)
    return button_post(lambda: services.withdraw_request(request, current_user),
                       success="The request is withdrawn: its link no longer works.",
                       to=url_for("feedback.index"))


@bp.route("/<int:request_id>/sharing", methods=["POST"])
@login_required
def sharing(request_id):
    request = _managed_or_404(request_id)
    form = ShareForm()
    return button_post(lambda: services.set_sharing(request, current_user,
                                                    with_peers=form.with_peers.data),
                       form=form, success="Sharing updated.",
                       to=url_for("feedback.show", request_id=request.id))


@bp.route("/people/<int:user_id>")
@login_required
def person(user_id):
    """A candidate's external feedback, as far as the viewer may read it."""
    readable = readable_feedback(current_user, queries.answered_requests_of(user_id))
    if not readable and user_id != current_user.id:
        abort(404)
    return render_template("feedback/person.html", requests=readable)
