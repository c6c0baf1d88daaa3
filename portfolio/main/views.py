"""The signed-in landing page and the health checks."""

from flask import jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..extensions import csrf
from . import bp, health

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
    """Liveness: the process answers. Touches nothing else, so a database outage does not get
    every app process restarted."""
    return jsonify(status="ok")


@bp.route("/readyz")
@csrf.exempt
def readyz():
    """Readiness: the database and the shared file store are reachable (503 otherwise)."""
    checks = {"database": health.database_state(), "storage": health.storage_state()}
    ready = all(state == "ok" for state in checks.values())
    return jsonify(status="ok" if ready else "error", **checks), 200 if ready else 503
