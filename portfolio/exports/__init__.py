"""Reports and exports: progress matrix, CSV/XLSX, PDF/HTML portfolios, archives, jobs."""

from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/exports")

from . import views  # noqa: E402,F401
