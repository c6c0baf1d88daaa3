"""The small vocabulary of access decorators used on routes."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

ROLE_CHECKS = {
    "admin": lambda user: user.is_admin,
    "programme_lead": lambda user: user.is_programme_lead or user.is_admin,
}


def role_required(*roles: str):
    """Let a signed-in user through only with one of the named global roles, else 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not any(ROLE_CHECKS[role](current_user) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


def is_manager(user) -> bool:
    """Programme leads and admins manage every cohort."""
    return bool(user and user.is_authenticated and (user.is_admin or user.is_programme_lead))
