"""Showcases: a candidate's curated selection of their work, pinned to versions, shared with
their cohort's coach developers or peer group and through expiring secret links."""

from flask import Flask

from ..entries.authoring import is_candidate
from ..entries.reflection_models import ordered_sections
from ..registry import registry_of


def showcase_sections(version) -> list[dict]:
    """A pinned entry version's sections in its model's order, with their stored HTML."""
    content = version.content or {}
    return ordered_sections(content.get("reflection_model"), content.get("sections"),
                            version.rendered)


def init_app(app: Flask) -> None:
    from . import building, link_views, reading, views  # noqa: F401  (routes)
    from .blueprint import bp, public

    app.register_blueprint(bp)
    app.register_blueprint(public)
    app.jinja_env.globals.update(showcase_sections=showcase_sections)
    registry_of(app).add_nav_item("Showcases", "showcases.index", is_candidate, order=45)
