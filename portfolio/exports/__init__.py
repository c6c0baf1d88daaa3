"""Reports and exports: progress matrix, CSV/XLSX, PDF/HTML portfolios, archives, jobs."""

from flask import Blueprint

from ..navigation import add_nav_item

bp = Blueprint("exports", __name__, url_prefix="/exports")

from . import views  # noqa: E402,F401
from .permissions import can_use_reports  # noqa: E402
from .worker import worker_command  # noqa: E402

add_nav_item("Reports", "exports.index", can_use_reports, order=70)
bp.record_once(lambda state: state.app.cli.add_command(worker_command))
