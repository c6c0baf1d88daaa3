"""Peer learning and sign-off: comments, review requests, sign-offs, progress, dashboard."""

from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/reviews")

from . import views  # noqa: E402,F401
