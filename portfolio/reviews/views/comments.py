"""Comments, replies and structured peer feedback on an entry."""

from __future__ import annotations

from flask import abort, flash, render_template
from flask_login import current_user, login_required

from ...access import is_manager
from ...handlers import attempt
from .. import services
from ..blueprint import bp
from ..forms import ActionForm, CommentForm, PeerFeedbackForm, ReplyForm
from ..models import CommentKind
from ..permissions import can_edit_comment, can_give_peer_feedback
from .common import ALREADY, already_recorded, back_to_entry, comment_for, entry_for


@bp.route("/entries/<int:entry_id>/comments", methods=["POST"])
@login_required
def add_comment(entry_id):
    entry = entry_for(entry_id)
    form = CommentForm(prefix="comment")
    if form.validate_on_submit():
        posted = attempt(lambda: services.add_comment(entry, current_user, form.body.data,
                                                      form_key=form.submission_key.data),
                         form=form, leave=ALREADY, success="Your comment has been posted.")
        if answer := _after_posting(entry_id, posted):
            return answer
    return render_template("reviews/comment_form.html", form=form, entry=entry,
                           heading="Add a comment", parent=None), 400


@bp.route("/comments/<int:comment_id>/replies", methods=["POST"])
@login_required
def reply(comment_id):
    parent = comment_for(comment_id, lambda user, row: True)
    form = ReplyForm(prefix="reply")
    if form.validate_on_submit():
        posted = attempt(lambda: services.add_comment(parent.entry, current_user,
                                                      form.body.data, parent,
                                                      form_key=form.submission_key.data),
                         form=form, leave=ALREADY, success="Your reply has been posted.")
        if answer := _after_posting(parent.entry_id, posted):
            return answer
    return render_template("reviews/comment_form.html", form=form, entry=parent.entry,
                           heading="Reply to a comment", parent=parent), 400


@bp.route("/entries/<int:entry_id>/feedback", methods=["POST"])
@login_required
def add_feedback(entry_id):
    entry = entry_for(entry_id, can_give_peer_feedback)
    form = PeerFeedbackForm(prefix="feedback")
    if form.validate_on_submit():
        posted = attempt(lambda: services.add_peer_feedback(
            entry, current_user, form.what_worked.data, form.what_to_try.data,
            form.question.data, form_key=form.submission_key.data),
            form=form, leave=ALREADY, success="Your feedback has been posted.")
        if answer := _after_posting(entry_id, posted):
            return answer
    return render_template("reviews/feedback_form.html", form=form, entry=entry), 400


def _after_posting(entry_id, posted):
    """The thread at the new comment; at the comments when the same form was sent twice at
    once (the other copy was stored); None when the form must be shown again."""
    if posted:
        return back_to_entry(entry_id, f"comment-{posted.value.id}")
    if already_recorded(posted):
        return back_to_entry(entry_id, "comments")
    return None


def _own_comment(user, comment) -> bool:
    return comment.author_id == user.id


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id):
    comment = comment_for(comment_id, _own_comment)
    is_feedback = comment.kind == CommentKind.PEER_FEEDBACK
    form_class = PeerFeedbackForm if is_feedback else CommentForm
    form = form_class(obj=comment)
    editable = can_edit_comment(current_user, comment)
    if editable and form.validate_on_submit() and attempt(
            lambda: services.edit_comment(comment, current_user, **{
                name: form[name].data for name in form.data
                if name not in ("csrf_token", "submission_key")}),
            form=form, success="Your comment has been updated."):
        return back_to_entry(comment.entry_id, f"comment-{comment.id}")
    status = 400 if form.errors else 200
    return render_template("reviews/edit_comment.html", form=form, comment=comment,
                           editable=editable, is_feedback=is_feedback), status


@bp.route("/comments/<int:comment_id>/remove", methods=["POST"])
@login_required
def remove_comment(comment_id):
    comment = comment_for(comment_id, lambda user, row: _own_comment(user, row)
                          or is_manager(user))
    if not ActionForm().validate_on_submit():
        abort(400)
    if comment.removed_at is None and not attempt(
            lambda: services.remove_comment(comment, current_user)):
        return back_to_entry(comment.entry_id, f"comment-{comment.id}")
    flash("The comment has been removed.", "success")
    return back_to_entry(comment.entry_id, f"comment-{comment.id}")
