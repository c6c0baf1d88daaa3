"""What each API list may hold for a principal: the pages' own visibility rules, as SQL.

Every filter here is built from the floor's facts that the pages use (programmes/access.py,
entries/permissions.py, evidence/permissions.py): who is a coach developer or candidate where,
and which entries a person may read. tests/api check each list against the pages' per-object
predicates (can_view_cohort, can_view_framework, can_view_progress, can_view_request, ...)
for every role, so the two cannot drift apart. A client system's token reads as the lead who
registered it, narrowed to the programme years it was granted.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from ..access import is_manager
from ..entries.models import Entry
from ..entries.permissions import visible_entries_filter
from ..evidence.models import Evidence
from ..evidence.permissions import visible_evidence_filter
from ..extensions import db
from ..frameworks.models import CompetencyArea, Framework, FrameworkStatus
from ..programmes.access import candidate_cohort_ids_query, developer_cohort_ids_query
from ..programmes.models import Cohort, CohortMembership, MemberRole, ProgrammeYear
from ..reviews.models import ProgrammeCompletion, ReviewRequest, Signoff


def _manager(principal) -> bool:
    return is_manager(principal.user)


def member_cohort_ids(user_id: int):
    """Cohorts where the person is a member that counts for access (as can_see_cohort)."""
    return developer_cohort_ids_query(user_id).union(candidate_cohort_ids_query(user_id))


def visible_cohort_ids(principal):
    """Cohorts the principal may see: every one for a manager, else their own; a client
    only those of its granted years."""
    statement = select(Cohort.id)
    if not _manager(principal):
        statement = statement.where(Cohort.id.in_(member_cohort_ids(principal.user.id)))
    if principal.year_ids is not None:
        statement = statement.where(Cohort.year_id.in_(principal.year_ids))
    return statement


def years(principal):
    statement = select(ProgrammeYear)
    if not _manager(principal):
        statement = statement.where(ProgrammeYear.id.in_(
            select(Cohort.year_id).where(Cohort.id.in_(visible_cohort_ids(principal)))))
    if principal.year_ids is not None:
        statement = statement.where(ProgrammeYear.id.in_(principal.year_ids))
    return statement


def cohorts(principal):
    return (select(Cohort).where(Cohort.id.in_(visible_cohort_ids(principal)))
            .options(joinedload(Cohort.pathway)))


def memberships(principal, cohort_id: int | None):
    statement = (select(CohortMembership)
                 .where(CohortMembership.cohort_id.in_(visible_cohort_ids(principal)))
                 .options(joinedload(CohortMembership.user)))
    if cohort_id is not None:
        statement = statement.where(CohortMembership.cohort_id == cohort_id)
    return statement


def frameworks(principal):
    """As can_view_framework: managers every version; members the published or retired
    version their cohort uses (a client: the frameworks of its years' cohorts)."""
    statement = select(Framework).options(
        selectinload(Framework.areas).selectinload(CompetencyArea.competencies))
    if _manager(principal) and principal.year_ids is None:
        return statement
    used = select(Cohort.framework_id).where(Cohort.id.in_(visible_cohort_ids(principal)))
    statement = statement.where(Framework.id.in_(used))
    if not _manager(principal):
        statement = statement.where(Framework.status != FrameworkStatus.DRAFT)
    return statement


def progress_memberships(principal):
    """Candidate memberships whose progress page the principal may open (can_view_progress):
    their own, every one for a manager, those of cohorts where they are a coach developer."""
    user_id = principal.user.id
    if _manager(principal):
        admitted = true()
    else:
        admitted = or_(CohortMembership.user_id == user_id,
                       CohortMembership.cohort_id.in_(developer_cohort_ids_query(user_id)))
    statement = (select(CohortMembership)
                 .where(CohortMembership.role == MemberRole.CANDIDATE, admitted)
                 .options(joinedload(CohortMembership.cohort)))
    if principal.year_ids is not None:
        statement = statement.where(CohortMembership.cohort_id.in_(
            select(Cohort.id).where(Cohort.year_id.in_(principal.year_ids))))
    return statement


def latest_completions(membership_ids) -> dict[int, ProgrammeCompletion]:
    rows = select(ProgrammeCompletion).where(
        ProgrammeCompletion.membership_id.in_(membership_ids)).options(
        selectinload(ProgrammeCompletion.revocation)).order_by(ProgrammeCompletion.number)
    return {row.membership_id: row for row in db.session.scalars(rows)}


def review_requests(principal):
    """As can_view_request: the candidate's own; the cohort's coach developers, leads and
    admins while the entry is still shared with them."""
    user = principal.user
    readable = ReviewRequest.entry_id.in_(select(Entry.id).where(visible_entries_filter(user)))
    reviewers = true() if _manager(principal) else \
        ReviewRequest.cohort_id.in_(developer_cohort_ids_query(user.id))
    statement = (select(ReviewRequest)
                 .where(or_(ReviewRequest.candidate_id == user.id, and_(reviewers, readable)))
                 .options(selectinload(ReviewRequest.competencies)))
    if principal.year_ids is not None:
        statement = statement.where(ReviewRequest.cohort_id.in_(
            select(Cohort.id).where(Cohort.year_id.in_(principal.year_ids))))
    return statement


def signoffs(principal):
    """Sign-offs on entries the principal may read (as the entry page shows them)."""
    readable = select(Entry.id).where(visible_entries_filter(principal.user))
    if principal.year_ids is not None:
        readable = readable.where(Entry.cohort_id.in_(
            select(Cohort.id).where(Cohort.year_id.in_(principal.year_ids))))
    return (select(Signoff).where(Signoff.entry_id.in_(readable))
            .options(selectinload(Signoff.revocation)))


def own_entries(principal):
    return select(Entry).where(Entry.owner_id == principal.user.id)


def evidence(principal):
    """Evidence the principal may open, as every evidence page decides it."""
    return select(Evidence).where(visible_evidence_filter(principal.user))
