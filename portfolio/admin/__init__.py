"""Administration of accounts: search, invite, deactivate, global roles."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import person_views, views  # noqa: E402,F401
