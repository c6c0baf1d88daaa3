"""In-app notifications (with email by each person's preference) and the header badge.

Import-light for the same reason as `portfolio.reviews`: the blueprint loads in `init_app`.
"""

from flask import Flask

from ..registry import registry_of


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401  (routes)
    from .blueprint import bp
    from .models import Notification
    from .services import unread_count_expression

    app.register_blueprint(bp)
    # The header's badge, read with the signed-in person rather than by a statement of its own.
    registry_of(app).add_viewer_fact("unread_notifications", unread_count_expression,
                                     tables=(Notification,))
