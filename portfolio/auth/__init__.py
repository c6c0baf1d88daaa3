"""Sign-in, sign-out, passwords, reset and invitation links."""

from flask import Blueprint, Flask

bp = Blueprint("auth", __name__, url_prefix="/account")


def init_app(app: Flask) -> None:
    from ..mail.services import before_delivery
    from . import views  # noqa: F401  (routes)
    from .resets import queue_requested_resets

    app.register_blueprint(bp)
    # The worker turns queued "forgot password" forms into reset mail before each delivery
    # pass (connecting the same function again is a no-op).
    before_delivery.connect(queue_requested_resets)
