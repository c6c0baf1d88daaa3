"""Offline-first on a phone: the installable shell, the service worker and sent-once keys."""

from flask import Flask


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401  (routes)
    from .blueprint import bp

    app.register_blueprint(bp)
