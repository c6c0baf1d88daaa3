"""Routes for single sign-on: off to the provider, and back with a code to check."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, session, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..auth.services import ThrottledError
from ..auth.views import client_address, start_session
from ..extensions import db
from ..security import safe_next
from . import services
from .blueprint import bp
from .client import SignInRefused, finish_sign_in, start_sign_in
from .settings import sso_settings

NEXT_KEY = "sso_next"


@bp.route("/login", methods=["POST"])
def login():
    if sso_settings() is None:
        abort(404)
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("main.home")))
    try:
        response = start_sign_in()
    except SignInRefused as refusal:
        return refused_page(refusal.reason, status=503)
    session[NEXT_KEY] = safe_next(url_for("main.home"))
    return response


@bp.route("/callback")
def callback():
    settings = sso_settings()
    if settings is None:
        abort(404)
    try:
        identity = finish_sign_in()
    except SignInRefused as refusal:
        services.refuse(refusal.reason, address=client_address())
        db.session.commit()
        return refused_page(refusal.reason)
    try:
        user = services.sign_in_with_identity(identity, client_address(),
                                              provision=settings.provision)
    except ThrottledError as error:
        page = render_template("sso/refused.html", message=error.message)
        return page, 429, {"Retry-After": str(error.retry_after)}
    except services.SsoRefused as refusal:
        db.session.commit()  # keep the refusal for the throttle and the audit log
        return render_template("sso/refused.html", message=refusal.message), 403
    except IntegrityError:
        db.session.rollback()
        return render_template("sso/refused.html", message=services.TRY_AGAIN), 409
    destination = session.get(NEXT_KEY) or url_for("main.home")
    start_session(user)
    db.session.commit()
    return redirect(destination)


def refused_page(reason: str, status: int = 400):
    current_app.logger.info("single sign-on refused: %s", reason)
    return render_template("sso/refused.html", message=None, reason=reason), status
