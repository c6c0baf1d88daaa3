"""Personal data: a person's own copy of everything held about them, and erasure by an admin."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/privacy")

from . import views  # noqa: E402,F401
