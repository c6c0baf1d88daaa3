"""Account administration rules (the acting admin is always passed in)."""

from __future__ import annotations

from ..audit.services import record
from ..auth.models import User
from ..auth.services import invite_user
from ..database import utcnow
from ..errors import DomainError

GLOBAL_ROLES = {"admin": "is_admin", "programme_lead": "is_programme_lead"}


def invite(actor: User, email: str, display_name: str, roles: list[str]) -> tuple[User, bool]:
    user, created = invite_user(email, display_name, invited_by=actor)
    for role in roles:
        set_role(actor, user, role, True)
    return user, created


def set_role(actor: User, user: User, role: str, granted: bool) -> None:
    """Grant or revoke a global role; an admin cannot remove their own admin role."""
    attribute = GLOBAL_ROLES.get(role)
    if attribute is None:
        raise DomainError("Unknown role.")
    if user.id == actor.id and role == "admin" and not granted:
        raise DomainError("You cannot remove your own admin role. Ask another admin.")
    if getattr(user, attribute) == granted:
        return
    setattr(user, attribute, granted)
    record("role.granted" if granted else "role.revoked", actor=actor, target=user, role=role)


def deactivate(actor: User, user: User) -> None:
    """Stop an account signing in and end all its sessions at once."""
    if user.id == actor.id:
        raise DomainError("You cannot deactivate your own account.")
    if not user.active:
        return
    user.active = False
    user.deactivated_at = utcnow()
    user.end_all_sessions()
    record("user.deactivated", actor=actor, target=user)


def reactivate(actor: User, user: User) -> None:
    if user.erased_at is not None:
        raise DomainError("This person's data was erased; the account cannot be used again. "
                          "Invite them afresh with a new account if they return.")
    if user.active:
        return
    user.active = True
    user.deactivated_at = None
    record("user.reactivated", actor=actor, target=user)
