"""Load the signed-in person once per request, with what every page asks about them.

One statement reads the person, every membership they hold (with its cohort and year, as
`programmes.access` keeps them for permission checks and navigation) and each registered
viewer fact (the header's unread count...). Pages used to send one statement for each.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ..database import built_once
from ..extensions import db
from ..programmes.access import remember_memberships
from ..programmes.models import Cohort, CohortMembership
from ..registry import registry_of
from ..viewer_facts import remember_viewer_facts
from .models import User


def load_viewer(session_token: str) -> User | None:
    """The active person holding this session token, or None."""
    if not session_token:
        return None
    facts = registry_of().viewer_facts
    rows = db.session.execute(_viewer_statement(), {"session_token": session_token}).all()
    if not rows:
        return None
    user = rows[0][0]
    remember_memberships(user.id, [row[1] for row in rows if row[1] is not None])
    remember_viewer_facts({fact.name: rows[0][2 + index] for index, fact in enumerate(facts)})
    return user


@built_once
def _viewer_statement():
    return (select(User, CohortMembership,
                   *(fact.expression(User.id).label(f"fact_{index}")
                     for index, fact in enumerate(registry_of().viewer_facts)))
            .outerjoin(CohortMembership, CohortMembership.user_id == User.id)
            .options(joinedload(CohortMembership.cohort).joinedload(Cohort.year))
            .where(User.session_token == bindparam("session_token"), User.active.is_(True))
            .order_by(CohortMembership.id.desc()))
