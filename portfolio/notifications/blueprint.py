"""The notifications blueprint and the header badge's context processor."""

from flask import Blueprint
from flask_login import current_user

from ..viewer_facts import viewer_fact
from .services import unread_count

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def unread_notification_count() -> int:
    """The header badge: read with the signed-in person, asked again only after a write."""
    if not current_user.is_authenticated:
        return 0
    return viewer_fact("unread_notifications", lambda: unread_count(current_user))


@bp.app_context_processor
def _header_helpers():
    return {"unread_notification_count": unread_notification_count}
