"""Who may see and change competency frameworks."""

from __future__ import annotations

from sqlalchemy import select

from ..access import is_manager
from ..extensions import db
from ..programmes.models import Cohort, CohortMembership, MembershipStatus
from .models import FrameworkStatus


def can_manage_frameworks(user) -> bool:
    return is_manager(user)


def can_view_framework(user, framework) -> bool:
    """Managers see every version; members see the published version their cohort uses."""
    if is_manager(user):
        return True
    if not (user and user.is_authenticated) or framework.status == FrameworkStatus.DRAFT:
        return False
    return db.session.scalar(
        select(CohortMembership.id).join(Cohort, Cohort.id == CohortMembership.cohort_id)
        .where(CohortMembership.user_id == user.id,
               CohortMembership.status != MembershipStatus.WITHDRAWN,
               Cohort.framework_id == framework.id).limit(1)) is not None
