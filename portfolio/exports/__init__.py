"""Reports and exports: progress matrix, CSV/XLSX, PDF/HTML portfolios, archives, jobs."""

from flask import Blueprint, Flask

from ..registry import registry_of

bp = Blueprint("exports", __name__, url_prefix="/exports")


def init_app(app: Flask) -> None:
    from . import job_views, views  # noqa: F401  (routes)
    from .permissions import can_use_reports
    from .worker import worker_command

    app.register_blueprint(bp)
    app.cli.add_command(worker_command)
    registry_of(app).add_nav_item("Reports", "exports.index", can_use_reports, order=70)
