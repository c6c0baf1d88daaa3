"""Notification list and mark-as-read: each person sees and changes only their own."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..database import get_or_404
from ..extensions import db
from ..requests import page_arg
from ..security import is_safe_redirect
from . import queries, services
from .blueprint import bp
from .forms import ActionForm
from .models import Notification


def _own(notification_id) -> Notification:
    return get_or_404(Notification, notification_id,
                      visible=lambda item: item.user_id == current_user.id)


@bp.route("/")
@login_required
def index():
    unread_only = request.args.get("show") == "unread"
    pagination = queries.notifications_page(
        current_user, page_arg(),
        current_app.config["ITEMS_PER_PAGE"], unread_only)
    return render_template("notifications/index.html", pagination=pagination,
                           unread_only=unread_only, action_form=ActionForm())


@bp.route("/<int:notification_id>/open", methods=["POST"])
@login_required
def open_notification(notification_id):
    notification = _own(notification_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.mark_read(notification, current_user)
    db.session.commit()
    target = notification.link if is_safe_redirect(notification.link) else None
    return redirect(target or url_for("notifications.index"))


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def mark_read(notification_id):
    notification = _own(notification_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.mark_read(notification, current_user)
    db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@login_required
def mark_all_read():
    if not ActionForm().validate_on_submit():
        abort(400)
    count = services.mark_all_read(current_user)
    db.session.commit()
    flash(f"Marked {count} notification{'s' if count != 1 else ''} as read." if count
          else "You had no unread notifications.", "success")
    return redirect(url_for("notifications.index"))
