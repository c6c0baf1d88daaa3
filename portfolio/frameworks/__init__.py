"""Competency frameworks: versions, areas, competencies, import and export."""

from flask import Blueprint

bp = Blueprint("frameworks", __name__, url_prefix="/frameworks")

from . import views  # noqa: E402,F401
