"""Read-side queries for the admin pages."""

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..extensions import db
from ..programmes.models import Cohort, CohortMembership, MemberRole, MembershipStatus

COHORT_ROLE_LABELS = {MemberRole.CANDIDATE: "Candidate",
                      MemberRole.COACH_DEVELOPER: "Coach developer"}


def search_users(term: str, page: int, per_page: int):
    statement = select(User).order_by(User.display_name, User.id)
    if term:
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(or_(User.email.ilike(pattern, escape="\\"),
                                        User.display_name.ilike(pattern, escape="\\")))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def memberships_of(user_id: int) -> list[CohortMembership]:
    """Every cohort the person belongs to or belonged to, newest cohort first."""
    return list(db.session.scalars(
        select(CohortMembership).where(CohortMembership.user_id == user_id)
        .options(joinedload(CohortMembership.cohort).joinedload(Cohort.year))
        .order_by(CohortMembership.id.desc())))


def role_labels(users) -> dict[int, list[str]]:
    """Each person's roles for the user list: global roles, then current cohort roles."""
    ids = [user.id for user in users]
    cohort_roles: dict[int, set[str]] = {}
    if ids:
        for user_id, role in db.session.execute(
                select(CohortMembership.user_id, CohortMembership.role).distinct()
                .where(CohortMembership.user_id.in_(ids),
                       CohortMembership.status != MembershipStatus.WITHDRAWN)):
            cohort_roles.setdefault(user_id, set()).add(role)
    return {user.id: [*user.role_labels, *(label for role, label in COHORT_ROLE_LABELS.items()
                                           if role in cohort_roles.get(user.id, ()))]
            for user in users}
