"""Admin pages: list and search users, invite, deactivate and reactivate, global roles."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import role_required
from ..auth.models import User
from ..database import get_or_404
from ..errors import DomainError, apply_to_form
from ..extensions import db
from ..programmes.membership import STATUS_LABELS
from ..requests import page_arg
from . import bp, queries, services
from .forms import ActionForm, InviteUserForm, RoleForm


@bp.route("/users")
@role_required("admin")
def users():
    term = request.args.get("q", "").strip()[:100]
    pagination = queries.search_users(term, page_arg(), current_app.config["ITEMS_PER_PAGE"])
    return render_template("admin/users.html", pagination=pagination, term=term,
                           roles=queries.role_labels(pagination.items), action_form=ActionForm())


@bp.route("/users/invite", methods=["GET", "POST"])
@role_required("admin")
def invite():
    form = InviteUserForm()
    if form.validate_on_submit():
        roles = [r for r, on in (("programme_lead", form.programme_lead.data),
                                 ("admin", form.admin.data)) if on]
        try:
            user, created = services.invite(current_user, form.email.data,
                                            form.display_name.data or "", roles)
        except DomainError as error:
            apply_to_form(error, form)
        else:
            db.session.commit()
            flash(f"Invitation sent to {user.email}." if created else
                  f"{user.email} already has an account; roles updated.", "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/invite.html", form=form)


@bp.route("/users/<int:user_id>")
@role_required("admin")
def user_detail(user_id):
    user = get_or_404(User, user_id)
    return render_template("admin/user.html", user=user, action_form=ActionForm(),
                           memberships=queries.memberships_of(user.id),
                           cohort_roles=queries.COHORT_ROLE_LABELS, member_statuses=STATUS_LABELS)


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
@role_required("admin")
def change_role(user_id):
    user = get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit() or form.action.data not in ("grant", "revoke"):
        abort(400)
    try:
        services.set_role(current_user, user, form.role.data, form.action.data == "grant")
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash("Roles updated.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@role_required("admin")
def deactivate(user_id):
    return _account_action(user_id, services.deactivate, "Account deactivated and signed out.")


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@role_required("admin")
def reactivate(user_id):
    return _account_action(user_id, services.reactivate, "Account reactivated.")


@bp.route("/users/<int:user_id>/resend-invitation", methods=["POST"])
@role_required("admin")
def resend_invitation(user_id):
    def resend(actor, user):
        if user.has_password:
            raise DomainError("This person has already set up their account.")
        from ..auth.services import send_invitation
        send_invitation(user, invited_by=actor, context="the Advanced Coach programme")

    return _account_action(user_id, resend, "Invitation sent again.")


def _account_action(user_id, action, message):
    user = get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        action(current_user, user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))
