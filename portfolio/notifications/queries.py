"""Read-side queries for the notifications pages."""

from sqlalchemy import bindparam, select

from ..database import built_once, counted_page, paginate_counted
from .models import Notification


def notifications_page(user, page: int, per_page: int, unread_only: bool = False):
    """A page of the person's notifications, newest first, with the total in the same
    statement (one statement instead of a page and a count)."""
    return paginate_counted(_notifications_statement(unread_only), page=page, per_page=per_page,
                            built=_notifications_page_statement(unread_only),
                            params={"user_id": user.id})


@built_once
def _notifications_statement(unread_only: bool):
    statement = select(Notification).where(Notification.user_id == bindparam("user_id"))
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    return statement.order_by(Notification.created_at.desc(), Notification.id.desc())


@built_once
def _notifications_page_statement(unread_only: bool):
    return counted_page(_notifications_statement(unread_only))
