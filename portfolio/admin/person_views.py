"""One person's account, for admins: correcting name and email, sending a reset link, and the
confirmation pages for role changes and deactivation (each says what will happen)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import role_required
from ..auth.models import User
from ..confirmation import Confirmation, confirmation_page
from ..database import get_or_404
from ..handlers import attempt, button_post
from . import bp, services
from .forms import DetailsForm

ROLE_NAMES = {"admin": "admin", "programme_lead": "programme lead"}
ROLE_POWERS = {
    "admin": "manage every account: invite people, correct names and addresses, grant and "
             "revoke roles, deactivate accounts and erase a person's data",
    "programme_lead": "run programme years, cohorts, frameworks and membership, and read "
                      "every cohort's shared entries, progress, reports and audit log",
}


def _person(user_id) -> User:
    return get_or_404(User, user_id)


def _back(user: User) -> str:
    return url_for("admin.user_detail", user_id=user.id)


@bp.route("/users/<int:user_id>/roles/<any(admin, programme_lead):role>/"
          "<any(grant, revoke):action>")
@role_required("admin")
def confirm_role(user_id, role, action):
    user = _person(user_id)
    name, granting = ROLE_NAMES[role], action == "grant"
    if granting:
        title, button = f"Make {user.display_name} {'an' if role == 'admin' else 'a'} {name}?", \
            f"Grant the {name} role"
        consequences = [f"{user.display_name} will be able to {ROLE_POWERS[role]}.",
                        "It takes effect on their next page. You can revoke it later."]
    else:
        title, button = f"Revoke {user.display_name}'s {name} role?", f"Revoke the {name} role"
        consequences = [f"{user.display_name} will no longer be able to {ROLE_POWERS[role]}.",
                        "It takes effect on their next page; their own portfolio and cohort "
                        "roles stay as they are."]
    return confirmation_page(Confirmation(
        title=title, consequences=consequences, button=button, cancel_url=_back(user),
        action=url_for("admin.change_role", user_id=user.id),
        fields=[("role", role), ("action", action)], warning=granting or role == "admin"))


@bp.get("/users/<int:user_id>/deactivate")
@role_required("admin")
def confirm_deactivate(user_id):
    user = _person(user_id)
    return confirmation_page(Confirmation(
        title=f"Deactivate {user.display_name}'s account?",
        consequences=[f"{user.display_name} is signed out everywhere at once and can no longer "
                      "sign in or use a password reset link.",
                      "Their portfolio, sign-offs and records stay as they are; their cohort "
                      "memberships do not change.",
                      "You can reactivate the account later."],
        button="Deactivate account", cancel_url=_back(user),
        action=url_for("admin.deactivate", user_id=user.id)))


@bp.route("/users/<int:user_id>/details", methods=["GET", "POST"])
@role_required("admin")
def edit_details(user_id):
    user = _person(user_id)
    form = DetailsForm(obj=user)
    if form.validate_on_submit() and (saved := attempt(
            lambda: services.update_details(current_user, user, form.display_name.data,
                                            form.email.data), form=form)):
        flash("Name and email address saved." if saved.value else "Nothing was changed.",
              "success" if saved.value else "info")
        return redirect(_back(user))
    return render_template("admin/details.html", form=form, user=user)


@bp.route("/users/<int:user_id>/send-reset", methods=["POST"])
@role_required("admin")
def send_reset(user_id):
    user = _person(user_id)
    return button_post(lambda: services.send_reset(current_user, user),
                       success=lambda _: f"A password reset link is on its way to {user.email}.",
                       to=_back(user))
