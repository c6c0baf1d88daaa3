"""External feedback: a candidate asks someone without an account for feedback on a session
through a one-time link; the answer lands in the portfolio as testimony, never a sign-off."""

from flask import Flask


def init_app(app: Flask) -> None:
    from . import link_views, views  # noqa: F401  (routes)
    from .blueprint import bp, external

    app.register_blueprint(bp)
    app.register_blueprint(external)
