"""Routes for signing in and out and managing one's own password."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import DomainError, apply_to_form
from ..extensions import db
from ..handlers import attempt
from ..security import safe_next
from . import bp, resets, services
from .forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    EmailPreferenceForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
)


def client_address() -> str:
    return request.remote_addr or "unknown"


def start_session(user) -> None:
    """Begin a fresh session for the user, dropping anything from before sign-in."""
    kept = {key: session[key] for key in ("draft_rescue", "form_rescue") if key in session}
    session.clear()
    session.update(kept)
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("main.home")))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, client_address())
        except services.ThrottledError as error:
            apply_to_form(error, form)
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(error.retry_after)}
        except DomainError as error:
            db.session.commit()  # keep the failed attempt for throttling
            apply_to_form(error, form)
            status = 401
        else:
            start_session(user)
            db.session.commit()
            return redirect(safe_next(url_for("main.home")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    services.sign_out(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit() and attempt(
            lambda: services.change_password(current_user, form.current_password.data,
                                             form.password.data), form=form):
        start_session(current_user._get_current_object())
        flash("Your password has been changed. Other devices have been signed out.", "success")
        return redirect(url_for("auth.settings"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = EmailPreferenceForm(email_preference=current_user.email_preference)
    if form.validate_on_submit():
        current_user.email_preference = form.email_preference.data
        db.session.commit()
        flash("Your email preference has been saved.", "success")
        return redirect(url_for("auth.settings"))
    return render_template("auth/settings.html", form=form)


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        resets.request_password_reset(form.email.data, client_address())
        db.session.commit()
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot_password.html", form=form)


def link_spent(purpose: str):
    """The page for a link that expired or that another request (a double click) used first."""
    db.session.rollback()
    return render_template("auth/link_invalid.html", purpose=purpose), 404


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    account_token = services.find_valid_token(token, "reset")
    if account_token is None:
        return link_spent("reset")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        reset = attempt(lambda: services.reset_password(account_token, form.password.data),
                        form=form, leave=(services.LinkUsedError,))
        if isinstance(reset.error, services.LinkUsedError):
            return link_spent("reset")
        if reset:
            if current_user.is_authenticated:
                logout_user()
            flash("Your password has been reset. Sign in with your new password.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    account_token = services.find_valid_token(token, "invite")
    if account_token is None:
        return link_spent("invite")
    form = AcceptInvitationForm()
    if request.method == "GET" and account_token.user.display_name:
        form.display_name.data = account_token.user.display_name
    if form.validate_on_submit():
        accepted = attempt(lambda: services.accept_invitation(
            account_token, form.display_name.data, form.password.data),
            form=form, leave=(services.LinkUsedError,))
        if isinstance(accepted.error, services.LinkUsedError):
            return link_spent("invite")
        if accepted:
            start_session(accepted.value)
            flash("Welcome! Your account is ready.", "success")
            return redirect(url_for("main.home"))
    return render_template("auth/accept_invitation.html", form=form,
                           email=account_token.user.email)
