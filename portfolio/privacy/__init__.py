"""Personal data: a person's own copy of everything held about them, and erasure by an admin."""

from flask import Blueprint, Flask

bp = Blueprint("privacy", __name__, url_prefix="/privacy")


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401  (routes)

    app.register_blueprint(bp)
