"""The signed-in landing page and the health check."""

from flask import jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from ..extensions import csrf, db
from . import bp

# Features add (predicate, endpoint) pairs here so the landing page sends each person to the
# place they work most, without this module importing every feature.
LANDING_PAGES: list[tuple] = []


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for("main.home"))


@bp.route("/home")
@login_required
def home():
    for predicate, endpoint in LANDING_PAGES:
        if predicate(current_user):
            return redirect(url_for(endpoint))
    return render_template("main/home.html")


@bp.route("/healthz")
@csrf.exempt
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means the database is not reachable
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
