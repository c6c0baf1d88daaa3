"""API routes: load what the token's person may see, as the pages do, and answer JSON."""

from __future__ import annotations

from flask import abort
from sqlalchemy import func

from ..entries.models import Entry as EntryModel
from ..entries.services import EntryDraft
from ..entries.services import create_entry as create
from ..errors import DomainError
from ..evidence.models import Evidence as EvidenceModel
from ..extensions import db
from ..frameworks.models import Framework as FrameworkModel
from ..programmes.models import Cohort as CohortModel
from ..programmes.models import CohortMembership, ProgrammeYear
from ..reviews.models import ReviewRequest as ReviewRequestModel
from ..reviews.models import Signoff as SignoffModel
from ..reviews.progress import progress_for_frameworks
from . import queries
from .auth import api_access, current_principal
from .blueprint import bp
from .pagination import page_of
from .problems import ApiProblem
from .schemas import (
    Cohort,
    Entry,
    EntryDraftIn,
    Evidence,
    Framework,
    ListQuery,
    Membership,
    MembershipQuery,
    Problem,
    Progress,
    ReviewRequest,
    Signoff,
    Year,
    page_schema,
)
from .serialise import membership_rows, progress_rows

YearPage = page_schema(Year, "YearPage")
CohortPage = page_schema(Cohort, "CohortPage")
MembershipPage = page_schema(Membership, "MembershipPage")
FrameworkPage = page_schema(Framework, "FrameworkPage")
ProgressPage = page_schema(Progress, "ProgressPage")
ReviewRequestPage = page_schema(ReviewRequest, "ReviewRequestPage")
SignoffPage = page_schema(Signoff, "SignoffPage")
EntryPage = page_schema(Entry, "EntryPage")
EvidencePage = page_schema(Evidence, "EvidencePage")
INVALID = {"schema": Problem, "content_type": "application/problem+json",
           "description": "A parameter is not valid"}


def _list(model, statement, query, updated_column=None):
    return page_of(model, statement, cursor=query["cursor"], limit=query["limit"],
                   updated_since=query["updated_since"], updated_column=updated_column)


@bp.route("/years")
@api_access("years")
@bp.arguments(ListQuery, location="query", as_kwargs=True)
@bp.response(200, YearPage)
@bp.alt_response(422, **INVALID)
def years(**query):
    """Programme years (updated_since compares the year's updated_at)."""

    return _list(ProgrammeYear, queries.years(current_principal()), query)


@bp.route("/cohorts")
@api_access("cohorts")
@bp.arguments(ListQuery, location="query", as_kwargs=True)
@bp.response(200, CohortPage)
@bp.alt_response(422, **INVALID)
def cohorts(**query):
    """Cohorts the token's person may open (updated_since: the cohort's updated_at)."""

    return _list(CohortModel, queries.cohorts(current_principal()), query)


@bp.route("/memberships")
@api_access("cohorts")
@bp.arguments(MembershipQuery, location="query", as_kwargs=True)
@bp.response(200, MembershipPage)
@bp.alt_response(422, **INVALID)
def memberships(**query):
    """Members of those cohorts, as the cohort page lists them (updated_since: the
    membership's updated_at, which a status change moves)."""

    principal = current_principal()
    page = _list(CohortMembership, queries.memberships(principal, query["cohort_id"]), query)
    return page | {"items": membership_rows(principal, page["items"])}


@bp.route("/frameworks")
@api_access("frameworks")
@bp.arguments(ListQuery, location="query", as_kwargs=True)
@bp.response(200, FrameworkPage)
@bp.alt_response(422, **INVALID)
def frameworks(**query):
    """Competency frameworks with their areas and competencies (updated_since: the
    framework's updated_at)."""

    return _list(FrameworkModel, queries.frameworks(current_principal()), query)


@bp.route("/progress")
@api_access("progress")
@bp.arguments(ListQuery, location="query", as_kwargs=True)
@bp.response(200, ProgressPage)
@bp.alt_response(422, **INVALID)
def progress(**query):
    """Progress and completion per candidate membership (updated_since: the membership's
    updated_at, moved by completion and status changes; not by each sign-off)."""

    page = _list(CohortMembership, queries.progress_memberships(current_principal()), query)
    return page | {"items": progress_rows(page["items"], progress_for_frameworks)}


@bp.route("/review-requests")
@api_access("reviews")
@bp.arguments(ListQuery, location="query", as_kwargs=True)
@bp.response(200, ReviewRequestPage)
@bp.alt_response(422, **INVALID)
def review_requests(**query):
    """Review requests and their state (updated_since: the latest of created, started and
    closed)."""
    changed = func.coalesce(ReviewRequestModel.closed_at, ReviewRequestModel.started_at,
                            ReviewRequestModel.created_at)
    return _list(ReviewRequestModel, queries.review_requests(current_principal()), query, changed)


@bp.route("/signoffs")
@api_access("signoffs")
@bp.arguments(ListQuery, location="query", as_kwargs=True)
@bp.response(200, SignoffPage)
@bp.alt_response(422, **INVALID)
def signoffs(**query):
    """Sign-offs on entries the token's person may read; read-only (updated_since: the
    sign-off's created_at, as sign-offs are never changed; a revocation is a new record)."""
    return _list(SignoffModel, queries.signoffs(current_principal()), query,
                 SignoffModel.created_at)


@bp.route("/entries")
@api_access("entries")
@bp.arguments(ListQuery, location="query", as_kwargs=True)
@bp.response(200, EntryPage)
@bp.alt_response(422, **INVALID)
def entries(**query):
    """The token's person's own entries, working copies included (updated_since: the
    entry's updated_at)."""
    return _list(EntryModel, queries.own_entries(current_principal()), query)


@bp.route("/entries/<int:entry_id>")
@api_access("entries")
@bp.response(200, Entry)
@bp.alt_response(404, schema=Problem, content_type="application/problem+json",
                 description="No such entry of yours")
def entry(entry_id):
    """One of the token's person's own entries."""
    found = db.session.scalar(queries.own_entries(current_principal())
                              .where(EntryModel.id == entry_id))
    if found is None:
        abort(404, "No entry of yours has that id.")
    return found


@bp.route("/entries", methods=["POST"])
@api_access("entries", "write")
@bp.arguments(EntryDraftIn, location="json")
@bp.response(201, Entry)
@bp.alt_response(422, **INVALID)
def create_entry(fields):
    """Start a draft entry (only its author sees it) through the entries service."""
    principal = current_principal()
    try:
        made, _ = create(principal.user, EntryDraft(**fields))
    except DomainError as refused:
        db.session.rollback()
        raise ApiProblem(422, refused.message) from None
    db.session.commit()
    return made


@bp.route("/evidence")
@api_access("evidence")
@bp.arguments(ListQuery, location="query", as_kwargs=True)
@bp.response(200, EvidencePage)
@bp.alt_response(422, **INVALID)
def evidence(**query):
    """Details of evidence the token's person may open (never the file; updated_since: the
    evidence's updated_at)."""
    return _list(EvidenceModel, queries.evidence(current_principal()), query)
