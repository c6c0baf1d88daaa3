"""Competency frameworks: versions, areas, competencies, import and export."""

from flask import Blueprint

bp = Blueprint("frameworks", __name__, url_prefix="/frameworks")


def _register_hooks() -> None:
    from ..access import is_manager
    from ..navigation import add_nav_item

    add_nav_item("Frameworks", "frameworks.index", is_manager, order=25)


_register_hooks()

from . import confirm_views, editing_views, views  # noqa: E402,F401
