"""In-app notifications (with email by each person's preference) and the header badge.

Import-light for the same reason as `portfolio.reviews`: the blueprint loads in `init_app`.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401  (routes)
    from .blueprint import bp

    app.register_blueprint(bp)
