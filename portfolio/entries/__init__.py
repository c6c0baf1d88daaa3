"""The candidate's portfolio: reflective entries, versions, autosave, philosophy and goals."""

from flask import Blueprint, Flask

from ..registry import registry_of

bp = Blueprint("entries", __name__, url_prefix="/portfolio")


def init_app(app: Flask) -> None:
    from . import (  # noqa: F401  (routes)
        form_rescue,
        goal_views,
        home,
        philosophy_views,
        reading,
        shared_views,
        views,
    )
    from .authoring import is_candidate

    app.register_blueprint(bp)
    registry = registry_of(app)
    registry.add_landing_page("entries.home", is_candidate, order=20)
    registry.add_nav_item("My portfolio", "entries.home", is_candidate, order=10)
    registry.add_nav_item("Shared with me", "entries.shared", is_candidate, order=12)
