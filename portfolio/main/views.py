"""The signed-in landing page and the health checks."""

from flask import jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..extensions import csrf
from ..registry import registry_of
from . import bp, health


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for("main.home"))


@bp.route("/home")
@login_required
def home():
    # Features register landing pages so /home sends each person to the place they work most,
    # without this module importing every feature.
    for page in registry_of().landing_pages:
        if page.admits(current_user):
            return redirect(url_for(page.endpoint))
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
