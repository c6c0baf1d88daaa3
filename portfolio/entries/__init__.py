"""The candidate's portfolio: reflective entries, versions, autosave, philosophy and goals."""

from flask import Blueprint

bp = Blueprint("entries", __name__, url_prefix="/portfolio")

from . import views  # noqa: E402,F401
