"""Full-text search over everything a person may read: entries (saved versions), comments,
evidence, goals and coaching philosophies. The index is kept in the same transaction as the
writes (indexing.py); who may read a result is part of the query (visibility.py)."""

from flask import Flask

from ..registry import registry_of


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def init_app(app: Flask) -> None:
    from . import indexing  # noqa: F401  (installs the session hooks)
    from .commands import search_group
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(search_group)
    registry_of(app).add_nav_item("Search", "search.index", _signed_in, order=80)
