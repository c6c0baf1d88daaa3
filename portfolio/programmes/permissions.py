"""Who may see and change programme years, cohorts and membership."""

from __future__ import annotations

from ..access import is_manager
from .access import can_see_cohort, current_memberships, is_developer_in


def can_manage_programme(user) -> bool:
    """Programme leads and admins run every year, cohort and membership."""
    return is_manager(user)


def can_view_cohort(user, cohort) -> bool:
    """Managers see every cohort; candidates and coach developers see their own."""
    return bool(user and user.is_authenticated) and can_see_cohort(user, cohort)


def can_see_member_emails(user, cohort) -> bool:
    """Email addresses on a cohort page are for managers and the cohort's coach developers."""
    return is_manager(user) or is_developer_in(user, cohort.id)


def has_cohort(user) -> bool:
    """Whether the 'My cohort' link means anything for this person."""
    return bool(user and user.is_authenticated) and bool(current_memberships(user.id))
