"""The feedback blueprints: the candidate's pages under /feedback, and the page a one-time link
opens under /f/<token> (no sign-in, no navigation into the app)."""

from flask import Blueprint

bp = Blueprint("feedback", __name__, url_prefix="/feedback")
external = Blueprint("feedback_links", __name__, url_prefix="/f")
