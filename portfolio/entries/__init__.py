"""The candidate's portfolio: reflective entries, versions, autosave, philosophy and goals."""

from flask import Blueprint

bp = Blueprint("entries", __name__, url_prefix="/portfolio")

from . import goal_views, home, philosophy_views, reading, views  # noqa: E402,F401
