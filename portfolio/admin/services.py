"""Account administration rules (the acting admin is always passed in)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..auth.models import User
from ..auth.services import find_user_by_email, invite_user, normalise_email, send_password_reset
from ..database import lock_for_decision, utcnow
from ..errors import DomainError
from ..extensions import db
from ..mail.services import queue_templated_mail

EMAIL_TAKEN = "Another account already uses this email address."

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
    _hold_accounts(actor, user)
    if getattr(user, attribute) == granted:
        return
    setattr(user, attribute, granted)
    record("role.granted" if granted else "role.revoked", actor=actor, target=user, role=role)


def deactivate(actor: User, user: User) -> None:
    """Stop an account signing in and end all its sessions at once."""
    if user.id == actor.id:
        raise DomainError("You cannot deactivate your own account.")
    _hold_accounts(actor, user)
    if not user.active:
        return
    user.active = False
    user.deactivated_at = utcnow()
    user.end_all_sessions()
    record("user.deactivated", actor=actor, target=user)


def reactivate(actor: User, user: User) -> None:
    _hold_accounts(actor, user)
    if user.erased_at is not None:
        raise DomainError("This person's data was erased; the account cannot be used again. "
                          "Invite them afresh with a new account if they return.")
    if user.active:
        return
    user.active = True
    user.deactivated_at = None
    record("user.reactivated", actor=actor, target=user)


def _hold_accounts(actor: User, user: User) -> None:
    """Lock both accounts (in id order) and check the actor is still an active admin.

    Two admins removing each other's admin role (or deactivating each other) at the same
    moment each passed the check against the other and left nobody able to administer the
    site. Now the second waits for the first and is refused: its actor is no longer an admin.
    Roles granted by invitation pass the invited account, new and unlocked, unchanged."""
    for person in sorted({actor.id: actor, user.id: user}.values(), key=lambda p: p.id):
        if person.id is not None:
            lock_for_decision(person)
    if not (actor.is_admin and actor.active):
        raise DomainError("Your admin role or account was changed a moment ago by another "
                          "admin, so this change was not made.")


def update_details(actor: User, user: User, display_name: str, email: str) -> list[str]:
    """Correct a person's name and email address; return what changed ("name", "email").

    The log records which fields changed, never the addresses. The old address is told, so
    an account cannot be moved to another mailbox unnoticed.
    """
    if user.erased_at is not None:
        raise DomainError("This person's data was erased; their account cannot be changed.")
    name = " ".join((display_name or "").split())
    if not name:
        raise DomainError("Enter the person's name.", field="display_name")
    email = normalise_email(email)
    if not email:
        raise DomainError("Enter an email address.", field="email")
    other = find_user_by_email(email)
    if other is not None and other.id != user.id:
        raise DomainError(EMAIL_TAKEN, field="email")
    old_email = user.email
    changed = [key for key, new, old in (("name", name, user.display_name),
                                          ("email", email, user.email)) if new != old]
    if not changed:
        return changed
    user.display_name, user.email = name, email
    try:
        db.session.flush()
    except IntegrityError as error:  # another admin gave the address away first: the caller
        raise DomainError(EMAIL_TAKEN, field="email") from error  # rolls back
    if "email" in changed:
        queue_templated_mail(old_email, "address_changed", name=name)
    record("user.details_changed", actor=actor, target=user, changed=" ".join(changed))
    return changed


def send_reset(actor: User, user: User) -> None:
    """Mail the person a password reset link (the link expires as a self-service one does)."""
    if user.erased_at is not None or not user.active:
        raise DomainError("Only an active account can be sent a reset link. Reactivate it first.")
    if not user.has_password:
        raise DomainError("This person has not set up their account yet: send the invitation "
                          "again instead.")
    send_password_reset(user)
    record("user.reset_sent", actor=actor, target=user)
