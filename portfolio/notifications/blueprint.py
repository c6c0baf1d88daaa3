"""The notifications blueprint and the header badge's context processor."""

from flask import Blueprint, g
from flask_login import current_user

from .services import unread_count

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def unread_notification_count() -> int:
    """The header badge: one cheap query per request, and only when the header asks for it."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notification_count" not in g:
        g.unread_notification_count = unread_count(current_user)
    return g.unread_notification_count


@bp.app_context_processor
def _header_helpers():
    return {"unread_notification_count": unread_notification_count}
