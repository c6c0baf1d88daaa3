"""Administration of accounts: search, invite, deactivate, global roles."""

from flask import Blueprint, Flask

from ..registry import registry_of

bp = Blueprint("admin", __name__, url_prefix="/admin")


def init_app(app: Flask) -> None:
    from . import person_views, views  # noqa: F401  (routes)

    app.register_blueprint(bp)
    registry_of(app).add_nav_item("Users", "admin.users", lambda user: user.is_admin, order=90)
