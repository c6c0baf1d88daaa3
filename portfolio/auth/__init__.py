"""Sign-in, sign-out, passwords, reset and invitation links."""

from flask import Blueprint

from ..mail.services import before_delivery

bp = Blueprint("auth", __name__, url_prefix="/account")

from . import views  # noqa: E402,F401
from .resets import queue_requested_resets  # noqa: E402

# The worker turns queued "forgot password" forms into reset mail before each delivery pass.
before_delivery.connect(queue_requested_resets)
