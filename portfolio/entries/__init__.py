"""The candidate's portfolio: reflective entries, versions, autosave, philosophy and goals."""

from flask import Blueprint

bp = Blueprint("entries", __name__, url_prefix="/portfolio")

from . import (  # noqa: E402,F401
    form_rescue,
    goal_views,
    home,
    philosophy_views,
    reading,
    shared_views,
    views,
)
