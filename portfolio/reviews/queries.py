"""Read-side queries for the reviews pages: explicit eager loading, a fixed number of
statements whatever the size of the thread, the portfolio or the log."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Integer, String, bindparam, cast, literal, null, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from ..audit.models import AuditEvent
from ..auth.models import User
from ..auth.services import email_fingerprint
from ..database import built_once, counted_page, paginate_counted, read_rows
from ..entries.models import Entry, EntryVersion
from ..entries.permissions import visible_entries_filter
from ..entries.reflection_models import ordered_sections
from ..evidence.models import Evidence
from ..evidence.queries import visible_among
from ..extensions import db
from ..frameworks.models import Competency, competencies_in_order, in_framework_order
from ..observations.models import Observation, ObservationTemplate
from ..programmes.access import carried_into
from ..programmes.models import CohortMembership, MemberRole
from .models import (
    Comment,
    ProgrammeCompletion,
    ProgrammeCompletionRevocation,
    ReviewRequest,
    ReviewRequestCompetency,
    Signoff,
    SignoffRevocation,
    SignoffRole,
)
from .status import DecisionFacts, EntryReviewState, RequestFacts, derive_entry_state


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def comment_threads(entry_id: int) -> list[Thread]:
    """Top-level comments oldest first, each with its replies (two queries)."""
    comments = db.session.scalars(_comments_statement(), {"entry_id": entry_id}).all()
    threads = {c.id: Thread(c) for c in comments if c.parent_id is None}
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in threads:
            threads[comment.parent_id].replies.append(comment)
    return list(threads.values())


# The entry page's review panel reads three short lists: their statements (eager loads
# included) are built once, so a view pays neither for building them nor for their cache keys.

@built_once
def _comments_statement():
    return (select(Comment).options(joinedload(Comment.author))
            .where(Comment.entry_id == bindparam("entry_id"))
            .order_by(Comment.created_at, Comment.id))


def entry_signoffs(entry_id: int) -> list[Signoff]:
    return list(db.session.scalars(_signoffs_statement(), {"entry_id": entry_id}))


@built_once
def _signoffs_statement():
    return (select(Signoff).options(joinedload(Signoff.reviewer), joinedload(Signoff.competency),
                                    joinedload(Signoff.revocation))
            .where(Signoff.entry_id == bindparam("entry_id"))
            .order_by(Signoff.created_at.desc(), Signoff.id.desc()))


def entry_requests(entry_id: int) -> list[ReviewRequest]:
    """One entry's review requests with their competencies (one statement: an entry has a few
    requests of a few competencies each). Of each request's version only its number is read:
    the panel shows nothing else, and a version's content and HTML are its widest columns."""
    return list(db.session.scalars(_requests_statement(), {"entry_id": entry_id}).unique())


@built_once
def _requests_statement():
    return (select(ReviewRequest)
            .options(joinedload(ReviewRequest.entry_version).load_only(EntryVersion.number),
                     joinedload(ReviewRequest.assigned_to),
                     joinedload(ReviewRequest.competencies)
                     .joinedload(ReviewRequestCompetency.competency))
            .where(ReviewRequest.entry_id == bindparam("entry_id"))
            .order_by(ReviewRequest.created_at.desc(), ReviewRequest.id.desc()))


def competencies_by_id(ids) -> dict[int, Competency]:
    return {row.id: row for row in competencies_in_order(ids)}


def attachable_observations(candidate_id: int, cohort_id: int | None
                            ) -> list[tuple[int, str]]:
    """(id, label) of the candidate's observations in the cohort, newest first (one statement)."""
    if cohort_id is None:
        return []
    rows = db.session.execute(
        select(Observation.id, Observation.observed_on, Observation.venue,
               ObservationTemplate.name)
        .join(ObservationTemplate, ObservationTemplate.id == Observation.template_id)
        .where(Observation.candidate_id == candidate_id, Observation.cohort_id == cohort_id)
        .order_by(Observation.observed_on.desc(), Observation.id.desc()).limit(100))
    return [(ident, " · ".join(part for part in (f"{observed_on.day} {observed_on:%B %Y}", name, venue)
                                if part))
            for ident, observed_on, venue, name in rows]


def load_request(request_id) -> ReviewRequest | None:
    try:
        ident = int(request_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(
        select(ReviewRequest)
        .options(joinedload(ReviewRequest.entry).joinedload(Entry.owner),
                 joinedload(ReviewRequest.entry_version), joinedload(ReviewRequest.candidate),
                 joinedload(ReviewRequest.cohort), joinedload(ReviewRequest.assigned_to),
                 joinedload(ReviewRequest.started_by), joinedload(ReviewRequest.closed_by),
                 joinedload(ReviewRequest.observation).joinedload(Observation.template),
                 joinedload(ReviewRequest.observation).joinedload(Observation.observer),
                 selectinload(ReviewRequest.competencies)
                 .joinedload(ReviewRequestCompetency.competency).joinedload(Competency.area))
        .where(ReviewRequest.id == ident))


def request_signoffs(request_id: int) -> list[Signoff]:
    return list(db.session.scalars(in_framework_order(
        select(Signoff).join(Competency, Competency.id == Signoff.competency_id)
        .options(joinedload(Signoff.reviewer), selectinload(Signoff.revocation))
        .where(Signoff.review_request_id == request_id))))


def version_evidence(viewer, version: EntryVersion) -> list[Evidence]:
    """The submitted version's evidence this viewer may open, in its saved order."""
    return visible_among(viewer, version.entry.owner_id, list(version.evidence_ids))


def version_sections(version: EntryVersion) -> list[dict]:
    """The version's reflection in its model's order, with each prompt's title."""
    return [item for item in ordered_sections(version.content.get("reflection_model"),
                                              version.sections, version.rendered)
            if item["text"]]


def candidate_signoffs(membership: CohortMembership, viewer) -> tuple[list[Signoff], set[int]]:
    """The sign-offs on this cohort's entries and those carried in from the candidate's earlier
    cohorts, with the ids of the entries among them the viewer may read (two statements).

    A carried sign-off still counts toward progress, so it shows as a record (competency,
    reviewer, date, version) even where its entry stays with last year's audience; only
    readable entries are named. Later cohorts' sign-offs never show on an earlier cohort."""
    signoffs = list(db.session.scalars(
        select(Signoff).join(Entry, Entry.id == Signoff.entry_id)
        .options(joinedload(Signoff.reviewer), joinedload(Signoff.entry),
                 selectinload(Signoff.revocation))
        .where(Signoff.candidate_id == membership.user_id,
               carried_into(Entry.cohort_id, membership.cohort))
        .order_by(Signoff.competency_code, Signoff.created_at.desc())))
    entry_ids = {signoff.entry_id for signoff in signoffs}
    readable = set(db.session.scalars(select(Entry.id).where(
        Entry.id.in_(entry_ids), visible_entries_filter(viewer)))) if entry_ids else set()
    return signoffs, readable


def completion_for(membership_id: int) -> ProgrammeCompletion | None:
    """The membership's latest completion (it may have been revoked), with who did what."""
    return db.session.scalar(
        select(ProgrammeCompletion)
        .options(joinedload(ProgrammeCompletion.recorded_by),
                 joinedload(ProgrammeCompletion.revocation)
                 .joinedload(ProgrammeCompletionRevocation.revoked_by))
        .where(ProgrammeCompletion.membership_id == membership_id)
        .order_by(ProgrammeCompletion.number.desc()).limit(1))


def candidate_membership(cohort_id, user_id) -> CohortMembership | None:
    try:
        cohort_id, user_id = int(cohort_id), int(user_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(
        select(CohortMembership)
        .options(joinedload(CohortMembership.user), joinedload(CohortMembership.cohort))
        .where(CohortMembership.cohort_id == cohort_id, CohortMembership.user_id == user_id,
               CohortMembership.role == MemberRole.CANDIDATE))


# --- the cohort audit log -----------------------------------------------------------------

ACCOUNT_ACTIONS = ("login.succeeded", "login.failed", "logout", "password.changed",
                   "password.reset", "role.granted", "role.revoked", "user.deactivated",
                   "user.reactivated")


def _cohort_audit_params(cohort_id: int) -> dict:
    """The values `_cohort_audit_statement` binds: the cohort, and the keyed fingerprints of
    its members' addresses (failed sign-ins carry only that, so they are matched by
    fingerprinting the members' addresses here: one small query)."""
    emails = db.session.scalars(_member_emails_statement(), {"cohort_id": cohort_id}).all()
    return {"cohort_id": cohort_id,
            "fingerprints": [f"account={email_fingerprint(email)}" for email in emails]}


@built_once
def _member_emails_statement():
    return select(User.email).where(User.id.in_(_cohort_member_ids()))


def _cohort_member_ids():
    return select(CohortMembership.user_id).where(
        CohortMembership.cohort_id == bindparam("cohort_id"))


@built_once
def _cohort_audit_statement(by_action: bool = False):
    """The cohort's own events, plus sign-in and account events of its members, newest first;
    built once (with or without the action filter), the values bound."""
    members = _cohort_member_ids()
    account_events = AuditEvent.action.in_(ACCOUNT_ACTIONS) & AuditEvent.cohort_id.is_(None) & (
        AuditEvent.actor_id.in_(members)
        | ((AuditEvent.target_type == "User") & AuditEvent.target_id.in_(members))
        | ((AuditEvent.action == "login.failed")
           & AuditEvent.summary.in_(bindparam("fingerprints", expanding=True))))
    statement = select(AuditEvent).where(
        or_(AuditEvent.cohort_id == bindparam("cohort_id"), account_events))
    if by_action:
        statement = statement.where(AuditEvent.action == bindparam("action"))
    return statement.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


@built_once
def _cohort_audit_page_statement(by_action: bool):
    return counted_page(_cohort_audit_statement(by_action))


def actor_names(events) -> dict[int, str]:
    """Display names for the actors of these events (one query; erased accounts drop out)."""
    ids = {event.actor_id for event in events if event.actor_id}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.display_name).where(
        User.id.in_(ids), User.erased_at.is_(None)))
    return dict(rows.all())


def cohort_audit_page(cohort_id: int, page: int, per_page: int, action: str = ""):
    """A page of the cohort's audit log with its total, in one statement."""
    by_action = bool(action)
    params = _cohort_audit_params(cohort_id) | ({"action": action} if by_action else {})
    return paginate_counted(_cohort_audit_statement(by_action), page=page, per_page=per_page,
                            built=_cohort_audit_page_statement(by_action), params=params)


def cohort_audit_batches(cohort_id: int, batch: int = 1000):
    """Every event for the CSV download, in batches (memory stays flat)."""
    result = db.session.execute(
        _cohort_audit_statement().execution_options(yield_per=batch),
        _cohort_audit_params(cohort_id))
    for partition in result.scalars().partitions():
        yield list(partition)


# --- review states of entries (the facts portfolio/reviews/status.py derives them from) -----

def entry_review_states(entry_ids) -> dict[int, EntryReviewState]:
    """Each entry's review state, for any number of entries in one statement."""
    ids = sorted({int(item) for item in entry_ids})
    if not ids:
        return {}
    facts: dict[int, tuple[list[RequestFacts], list[DecisionFacts]]] = {
        item: ([], []) for item in ids}
    for is_decision, entry_id, row_id, state, created_at, competency_id, revoked in \
            read_rows(_review_states_statement(), {"ids": ids}):
        if is_decision:
            facts[entry_id][1].append(DecisionFacts(competency_id, state, bool(revoked),
                                                    created_at, row_id))
        else:
            facts[entry_id][0].append(RequestFacts(row_id, state, created_at))
    return {item: derive_entry_state(*facts[item]) for item in ids}


@built_once
def _review_states_statement():
    """Requests and developers' decisions side by side: (is decision, entry, id, status or
    decision, when, competency, revoked), for the entries in the expanding `ids`."""
    ids = bindparam("ids", expanding=True)
    requests = select(
        literal(False), ReviewRequest.entry_id, ReviewRequest.id,
        cast(ReviewRequest.status, String), ReviewRequest.created_at,
        null().cast(Integer), literal(False)).where(ReviewRequest.entry_id.in_(ids))
    decisions = (
        select(literal(True), Signoff.entry_id, Signoff.id, cast(Signoff.decision, String),
               Signoff.created_at, Signoff.competency_id, SignoffRevocation.id.is_not(None))
        .outerjoin(SignoffRevocation, SignoffRevocation.signoff_id == Signoff.id)
        .where(Signoff.entry_id.in_(ids), Signoff.role == SignoffRole.COACH_DEVELOPER))
    return union_all(requests, decisions)


def peer_signoffs(entry_id: int) -> list[Signoff]:
    """Peers' sign-offs on any version of the entry, newest first (one statement)."""
    return list(db.session.scalars(
        select(Signoff).options(joinedload(Signoff.reviewer), joinedload(Signoff.competency),
                                selectinload(Signoff.revocation))
        .where(Signoff.entry_id == entry_id, Signoff.role == SignoffRole.PEER)
        .order_by(Signoff.created_at.desc(), Signoff.id.desc())))
