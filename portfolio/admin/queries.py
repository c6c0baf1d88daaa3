"""Read-side queries for the admin pages."""

from sqlalchemy import or_, select

from ..auth.models import User
from ..extensions import db


def search_users(term: str, page: int, per_page: int):
    statement = select(User).order_by(User.display_name, User.id)
    if term:
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(or_(User.email.ilike(pattern, escape="\\"),
                                        User.display_name.ilike(pattern, escape="\\")))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)
