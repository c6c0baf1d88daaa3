"""A person's own copy of every row held about them (the right of access).

Each key of the document corresponds to `registry.PERSONAL_DATA_TABLES[...].export`; the
registry test fails if a table is listed without its key being filled in here.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..api.privacy import personal_api_access
from ..audit.models import AuditEvent
from ..auth.models import AccountToken, LoginAttempt, PasswordResetRequest, User
from ..consent.privacy import personal_consent
from ..credentials.models import Credential
from ..database import utcnow
from ..entries.models import (
    DraftRescue,
    Entry,
    EntryCompetency,
    EntryRead,
    EntryVersion,
    Goal,
    PhilosophyStatement,
    PhilosophyVersion,
    goal_competencies,
)
from ..evidence.models import Evidence
from ..evidence.resumable import personal_sessions
from ..exports.models import Job
from ..extensions import db
from ..feedback.queries import personal_data_of as feedback_personal_data
from ..mail.models import OutboxMessage
from ..notifications.models import Notification
from ..observations.privacy import personal_observations
from ..offline.privacy import personal_keys
from ..panels.models import PanelMember, PanelNote, PanelOutcome, ReviewPanel
from ..programmes.models import CohortMembership, MemberImport, PeerGroupMember
from ..quicksign.privacy import personal_codes
from ..reviews.models import (
    Comment,
    ProgrammeCompletion,
    ProgrammeCompletionRevocation,
    ReviewRequest,
    ReviewRequestCompetency,
    Signoff,
    SignoffRevocation,
)
from ..showcases.models import Showcase, ShowcaseItem, ShowcaseLink, ShowcaseLinkView
from ..sso.privacy import personal_identities
from ..webhooks.privacy import personal_deliveries

FORMAT = "advanced-coach-portfolio/personal-data"


def personal_data(user: User) -> dict:
    """Everything the service holds about `user`, as JSON-ready data."""
    return {
        "format": FORMAT, "version": 1, "exported_at": _plain(utcnow()),
        "account": _account(user),
        "account_links": _rows(select(AccountToken).where(AccountToken.user_id == user.id),
                               exclude={"token_hash"}),
        "login_attempts": _rows(select(LoginAttempt).where(LoginAttempt.email == user.email)),
        "password_reset_requests": _rows(select(PasswordResetRequest)
                                         .where(PasswordResetRequest.email == user.email)),
        "memberships": _memberships(user.id),
        "member_imports": _rows(select(MemberImport)
                                .where(MemberImport.created_by_id == user.id)),
        "entries": _entries(user.id),
        "evidence": _rows(select(Evidence).where(Evidence.owner_id == user.id)),
        "consent_records": personal_consent(user.id, _rows),
        "unfinished_uploads": personal_sessions(user.id, _rows),
        "philosophy": _philosophy(user.id),
        "goals": _goals(user.id),
        "kept_drafts": _rows(select(DraftRescue).where(DraftRescue.user_id == user.id),
                             exclude={"key_hash"}),
        "entries_read": _rows(select(EntryRead).where(EntryRead.user_id == user.id)),
        "comments_written": _rows(select(Comment).where(Comment.author_id == user.id)),
        "review_requests": _review_requests(user.id),
        "signoffs": {
            "about_me": _rows(select(Signoff).where(Signoff.candidate_id == user.id)),
            "by_me": _rows(select(Signoff).where(Signoff.reviewer_id == user.id)),
        },
        "signoff_revocations": _rows(select(SignoffRevocation).join(Signoff).where(or_(
            Signoff.candidate_id == user.id, Signoff.reviewer_id == user.id,
            SignoffRevocation.revoked_by_id == user.id))),
        "completions": _rows(select(ProgrammeCompletion).join(CohortMembership).where(or_(
            CohortMembership.user_id == user.id, ProgrammeCompletion.recorded_by_id == user.id))),
        "completion_revocations": _rows(
            select(ProgrammeCompletionRevocation).join(ProgrammeCompletion)
            .join(CohortMembership).where(or_(
                CohortMembership.user_id == user.id,
                ProgrammeCompletionRevocation.revoked_by_id == user.id))),
        "credentials": _rows(select(Credential).where(Credential.user_id == user.id)),
        "external_feedback": feedback_personal_data(user.id),
        "review_panels": _review_panels(user.id),
        "showcases": _showcases(user.id),
        # Only the notes they wrote: notes about them are the panel's, never the candidate's.
        "panel_notes_written": _rows(select(PanelNote).where(PanelNote.author_id == user.id)),
        "api_access": personal_api_access(user.id, _rows),
        "quick_sign_codes": personal_codes(user.id, _rows),
        "sso_identities": personal_identities(user.id, _rows),
        "observations": personal_observations(user.id, _rows),
        "sent_once_keys": personal_keys(user.id, _rows),
        "webhook_deliveries": personal_deliveries(user.id, _rows),
        "notifications": _rows(select(Notification).where(Notification.user_id == user.id)),
        "jobs": _rows(select(Job).where(Job.requested_by_id == user.id),
                      exclude={"result_path", "worker_id"}),
        "outbox_messages": _rows(select(OutboxMessage)
                                 .where(OutboxMessage.to_address == user.email)),
        "audit_events": _rows(select(AuditEvent).where(AuditEvent.actor_id == user.id)),
    }


def evidence_files(user: User) -> list[tuple[str, str]]:
    """(name in the archive, storage key) for each stored file the person uploaded."""
    rows = db.session.execute(select(Evidence.id, Evidence.original_filename,
                                     Evidence.storage_key)
                              .where(Evidence.owner_id == user.id, Evidence.kind == "file",
                                     Evidence.storage_key.is_not(None))
                              .order_by(Evidence.id))
    return [(f"evidence/{ident}-{_safe_name(name)}", key) for ident, name, key in rows]


def _safe_name(name: str | None) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "._- " else "_" for ch in (name or "file"))
    return cleaned.strip(" .")[:120] or "file"


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj, exclude=frozenset()) -> dict:
    return {column.key: _plain(getattr(obj, column.key))
            for column in obj.__table__.columns if column.key not in exclude}


def _rows(statement, exclude=frozenset()) -> list[dict]:
    model = statement.column_descriptions[0]["entity"]
    return [_row(obj, exclude) for obj in db.session.scalars(statement.order_by(model.id))]


def _account(user: User) -> dict:
    return _row(user, exclude={"password_hash", "session_token"}) | {
        "has_password": user.has_password}


def _memberships(user_id: int) -> list[dict]:
    memberships = db.session.scalars(select(CohortMembership)
                                     .where(CohortMembership.user_id == user_id)
                                     .order_by(CohortMembership.id)).all()
    groups = {link.membership_id: link.peer_group_id for link in db.session.scalars(
        select(PeerGroupMember).where(PeerGroupMember.membership_id.in_(
            [m.id for m in memberships])))}
    return [_row(m) | {"cohort": m.cohort.label,
                       "peer_group_id": groups.get(m.id),
                       "specialisms": [s.name for s in m.specialisms]} for m in memberships]


def _entries(owner_id: int) -> list[dict]:
    entries = db.session.scalars(select(Entry).where(Entry.owner_id == owner_id)
                                 .order_by(Entry.id).options(
                                     selectinload(Entry.claims).joinedload(
                                         EntryCompetency.competency),
                                     selectinload(Entry.tags))).all()
    versions: dict[int, list[dict]] = {}
    for version in db.session.scalars(select(EntryVersion).join(Entry)
                                      .where(Entry.owner_id == owner_id)
                                      .order_by(EntryVersion.entry_id, EntryVersion.number)):
        versions.setdefault(version.entry_id, []).append(_row(version))
    return [_row(entry) | {
        "claimed_competencies": [claim.competency.code for claim in entry.claims],
        "tags": [tag.name for tag in entry.tags],
        "versions": versions.get(entry.id, []),
    } for entry in entries]


def _philosophy(owner_id: int) -> dict | None:
    statement = db.session.scalar(select(PhilosophyStatement)
                                  .where(PhilosophyStatement.owner_id == owner_id))
    if statement is None:
        return None
    return _row(statement) | {"versions": _rows(select(PhilosophyVersion).where(
        PhilosophyVersion.statement_id == statement.id))}


def _goals(owner_id: int) -> list[dict]:
    goals = db.session.scalars(select(Goal).where(Goal.owner_id == owner_id)
                               .order_by(Goal.id).options(selectinload(Goal.notes))).all()
    linked: dict[int, list[int]] = {}
    for goal_id, competency_id in db.session.execute(select(
            goal_competencies.c.goal_id, goal_competencies.c.competency_id).where(
            goal_competencies.c.goal_id.in_([goal.id for goal in goals]))):
        linked.setdefault(goal_id, []).append(competency_id)
    return [_row(goal) | {"competency_ids": sorted(linked.get(goal.id, [])),
                          "notes": [_row(note) for note in goal.notes]} for goal in goals]


def _review_requests(user_id: int) -> list[dict]:
    requests = db.session.scalars(select(ReviewRequest).where(or_(
        ReviewRequest.candidate_id == user_id, ReviewRequest.assigned_to_id == user_id,
        ReviewRequest.started_by_id == user_id, ReviewRequest.closed_by_id == user_id))
        .order_by(ReviewRequest.id)).all()
    competencies: dict[int, list[int]] = {}
    for link in db.session.scalars(select(ReviewRequestCompetency).where(
            ReviewRequestCompetency.request_id.in_([r.id for r in requests]))):
        competencies.setdefault(link.request_id, []).append(link.competency_id)
    return [_row(request) | {"competency_ids": sorted(competencies.get(request.id, []))}
            for request in requests]


def _review_panels(user_id: int) -> dict:
    """Panels about them (with outcome and reasons) and panels they sat on; never notes."""
    sat_on = select(PanelMember.panel_id).where(PanelMember.user_id == user_id)
    outcomes = select(PanelOutcome).join(ReviewPanel).where(
        (ReviewPanel.candidate_id == user_id) | (PanelOutcome.decided_by_id == user_id))
    return {
        "about_me": _rows(select(ReviewPanel).where(ReviewPanel.candidate_id == user_id)),
        "sat_on": _rows(select(ReviewPanel).where(ReviewPanel.id.in_(sat_on))),
        "seats": _rows(select(PanelMember).where(PanelMember.user_id == user_id)),
        "outcomes": _rows(outcomes),
    }


def _showcases(owner_id: int) -> dict:
    """Their showcases, the items in them, their secret links (never the token's hash) and
    the log of views through those links."""
    mine = select(Showcase.id).where(Showcase.owner_id == owner_id)
    links = select(ShowcaseLink.id).where(ShowcaseLink.showcase_id.in_(mine))
    return {
        "showcases": _rows(select(Showcase).where(Showcase.owner_id == owner_id)),
        "items": _rows(select(ShowcaseItem).where(ShowcaseItem.showcase_id.in_(mine))),
        "links": _rows(select(ShowcaseLink).where(ShowcaseLink.id.in_(links)),
                       exclude={"token_hash"}),
        "link_views": _rows(select(ShowcaseLinkView).where(ShowcaseLinkView.link_id.in_(links))),
    }
