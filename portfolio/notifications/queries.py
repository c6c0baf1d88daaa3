"""Read-side queries for the notifications pages."""

from sqlalchemy import select

from ..extensions import db
from .models import Notification


def notifications_page(user, page: int, per_page: int, unread_only: bool = False):
    statement = (select(Notification).where(Notification.user_id == user.id)
                 .order_by(Notification.created_at.desc(), Notification.id.desc()))
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)
