"""Landing page and health checks."""

from flask import Blueprint, Flask

bp = Blueprint("main", __name__)


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401  (routes)

    app.register_blueprint(bp)
