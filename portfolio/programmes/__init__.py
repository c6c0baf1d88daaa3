"""Programme years, cohorts, membership, peer groups and rollover."""

from flask import Blueprint

bp = Blueprint("programmes", __name__, url_prefix="/programme")

from . import views  # noqa: E402,F401
