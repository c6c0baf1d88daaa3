"""Observed practice: observation templates per framework version and the records coach
developers (or peers, where a template allows) make of a candidate's session."""

from flask import Flask

from ..access import is_manager
from ..programmes.access import current_memberships
from ..registry import registry_of


def uses_observations(user) -> bool:
    """Members of a cohort (candidates and coach developers) and the leads who write templates.

    Read from the request's membership facts, so the header costs no statement."""
    if not (user and user.is_authenticated):
        return False
    return is_manager(user) or bool(current_memberships(user.id))


def init_app(app: Flask) -> None:
    from . import template_views, views  # noqa: F401  (routes)
    from .blueprint import bp
    from .templates import ensure_default_templates

    app.register_blueprint(bp)
    registry = registry_of(app)
    registry.add_reference_seeder(ensure_default_templates)
    registry.add_nav_item("Observations", "observations.index", uses_observations, order=32)
