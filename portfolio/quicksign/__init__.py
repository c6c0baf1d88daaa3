"""Ask for sign-off now: a one-time QR code a coach developer opens with their own account."""

from flask import Flask


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401  (routes)
    from .blueprint import bp

    app.register_blueprint(bp)
