"""Admin pages: list and search users, invite, deactivate and reactivate, global roles."""

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import role_required
from ..auth.models import User
from ..auth.services import send_invitation
from ..database import get_or_404
from ..errors import DomainError
from ..handlers import attempt, button_post
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
        if invited := attempt(lambda: services.invite(current_user, form.email.data,
                                                      form.display_name.data or "", roles),
                              form=form, success=_invited_message):
            return redirect(url_for("admin.user_detail", user_id=invited.value[0].id))
    return render_template("admin/invite.html", form=form)


def _invited_message(answer) -> str:
    user, created = answer
    return (f"Invitation sent to {user.email}." if created else
            f"{user.email} already has an account; roles updated.")


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
    if form.action.data not in ("grant", "revoke"):
        abort(400)
    return button_post(
        lambda: services.set_role(current_user, user, form.role.data, form.action.data == "grant"),
        form=form, success="Roles updated.", to=url_for("admin.user_detail", user_id=user.id))


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
        send_invitation(user, invited_by=actor, context="the Advanced Coach programme")

    return _account_action(user_id, resend, "Invitation sent again.")


def _account_action(user_id, action, message):
    user = get_or_404(User, user_id)
    return button_post(lambda: action(current_user, user), success=message,
                       to=url_for("admin.user_detail", user_id=user.id))
