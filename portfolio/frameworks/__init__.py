"""Competency frameworks: versions, areas, competencies, import and export."""

from flask import Blueprint, Flask

from ..registry import registry_of

bp = Blueprint("frameworks", __name__, url_prefix="/frameworks")


def init_app(app: Flask) -> None:
    from ..access import is_manager
    from . import confirm_views, editing_views, views  # noqa: F401  (routes)

    app.register_blueprint(bp)
    registry_of(app).add_nav_item("Frameworks", "frameworks.index", is_manager, order=25)
