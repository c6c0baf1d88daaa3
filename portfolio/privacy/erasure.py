"""Erasing a person: delete what is theirs alone, keep qualification records pseudonymised.

What goes: entries (with versions, claims, tags, comments on them), evidence rows and files,
philosophy, goals, notifications, account links, kept draft text, export jobs and their files,
invitation lists they uploaded, queued mail to their address and login attempts for it,
review panel notes they wrote or that were written about them.
What stays: entries (and their versions) that a sign-off or review request refers to, the
sign-offs, revocations, completions and panel outcomes (append-only), review panels, review
requests, cohort
memberships and audit events - all pointing at the account row, which keeps only an id.
Completion credentials stay, revoked as withdrawn at the holder's request and with no name or
address hash left in them.
Comments they wrote on other people's entries stay as "removed" placeholders without text.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select, update

from .. import storage
from ..api.privacy import erase_api_access
from ..audit.services import record
from ..auth.models import (
    AccountToken,
    EmailPreference,
    LoginAttempt,
    PasswordResetRequest,
    User,
)
from ..consent.privacy import erase_consent
from ..credentials.services import withdraw_for_erasure
from ..database import utcnow
from ..entries.models import (
    DraftRescue,
    Entry,
    EntryRead,
    Goal,
    PhilosophyStatement,
    ReviewStatus,
)
from ..errors import DomainError
from ..evidence.models import Evidence
from ..evidence.resumable import erase_for as erase_unfinished_uploads
from ..exports.models import Job
from ..extensions import db
from ..feedback.services import erase_for as erase_feedback_for
from ..mail.models import OutboxMessage, OutboxStatus
from ..notifications.models import Notification
from ..observations.privacy import erase_observations
from ..offline.privacy import erase_keys
from ..panels.models import PanelNote, ReviewPanel
from ..programmes.models import CohortMembership, MemberImport, MembershipStatus, PeerGroupMember
from ..quicksign.privacy import erase_codes
from ..reviews.models import OPEN_STATUSES, Comment, RequestStatus, ReviewRequest, Signoff
from ..reviews.progress_table import mark_progress_stale
from ..search.indexing import reindex_person
from ..showcases.models import Showcase
from ..sso.privacy import erase_identities
from ..webhooks.privacy import erase_deliveries

ERASED_DOMAIN = "invalid"  # RFC 2606: can never be a real address


def erased_name(user_id: int) -> str:
    return f"Former member #{user_id}"


def can_erase(actor: User, user: User) -> bool:
    return bool(actor.is_admin and actor.id != user.id and user.erased_at is None)


def kept_entry_ids(user_id: int) -> set[int]:
    """The person's entries that sign-offs or review requests refer to (qualification records)."""
    owned = select(Entry.id).where(Entry.owner_id == user_id)
    signed = select(Signoff.entry_id).where(Signoff.entry_id.in_(owned))
    requested = select(ReviewRequest.entry_id).where(ReviewRequest.entry_id.in_(owned))
    return set(db.session.scalars(signed.union(requested)))


def erase_person(actor: User, user: User) -> dict[str, int]:
    """Erase `user`'s personal data; return how many rows of each kind went (flushes only)."""
    if not actor.is_admin:
        raise DomainError("Only an admin can erase a person.")
    if actor.id == user.id:
        raise DomainError("You cannot erase your own account. Ask another admin.")
    if user.erased_at is not None:
        raise DomainError("This person has already been erased.")
    db.session.flush()
    mark_progress_stale([user.id])  # bulk deletes and updates below change their claims
    counts = _delete_owned_content(user)
    counts |= _close_open_work(actor, user)
    counts |= _delete_account_traces(user)
    counts["credentials_withdrawn"] = withdraw_for_erasure(user.id)
    counts["messages_renamed"] = _rename_in_messages(user.display_name, erased_name(user.id))
    _pseudonymise(user)
    reindex_person(user.id)  # the bulk writes above are invisible to the index's hooks
    record("privacy.erased", actor=actor, target=user, **counts)
    db.session.expire_all()
    return counts


def _delete_owned_content(user: User) -> dict[str, int]:
    kept = kept_entry_ids(user.id)
    keys = list(db.session.scalars(select(Evidence.storage_key).where(
        Evidence.owner_id == user.id, Evidence.storage_key.is_not(None))))
    counts = {
        # Their items, secret links and the links' view log go with them (ON DELETE CASCADE);
        # a panel keeps its record without the submitted copy (SET NULL).
        "showcases": _delete(delete(Showcase).where(Showcase.owner_id == user.id)),
        "consent_records": erase_consent(user.id),
        "evidence": _delete(delete(Evidence).where(Evidence.owner_id == user.id)),
        "observations": erase_observations(user.id),
        "entries": _delete(delete(Entry).where(Entry.owner_id == user.id,
                                               Entry.id.not_in(kept))),
        "entries_kept": len(kept),
        "goals": _delete(delete(Goal).where(Goal.owner_id == user.id)),
        "external_feedback": erase_feedback_for(user.id),
        "philosophy": _delete(delete(PhilosophyStatement)
                              .where(PhilosophyStatement.owner_id == user.id)),
        "comments_redacted": db.session.execute(
            update(Comment).where(Comment.author_id == user.id)
            .values(body="", what_worked="", what_to_try="", question="",
                    removed_at=utcnow()).execution_options(synchronize_session=False)).rowcount,
    }
    for key in keys:
        storage.delete_after_commit(key)
    return counts


def _close_open_work(actor: User, user: User) -> dict[str, int]:
    """Withdraw the person's open requests and free work and candidates assigned to them."""
    now = utcnow()
    withdrawn = db.session.execute(
        update(ReviewRequest).where(ReviewRequest.candidate_id == user.id,
                                    ReviewRequest.status.in_(OPEN_STATUSES))
        .values(status=RequestStatus.WITHDRAWN, closed_at=now, closed_by_id=actor.id,
                lock_version=ReviewRequest.lock_version + 1)
        .execution_options(synchronize_session=False)).rowcount
    db.session.execute(
        update(ReviewRequest).where(ReviewRequest.assigned_to_id == user.id,
                                    ReviewRequest.status.in_(OPEN_STATUSES))
        .values(assigned_to_id=None, lock_version=ReviewRequest.lock_version + 1)
        .execution_options(synchronize_session=False))
    db.session.execute(
        update(Entry).where(Entry.owner_id == user.id,
                            Entry.review_status == ReviewStatus.SUBMITTED)
        .values(review_status=ReviewStatus.NONE, lock_version=Entry.lock_version + 1)
        .execution_options(synchronize_session=False))
    db.session.execute(
        update(CohortMembership).where(CohortMembership.coach_developer_id == user.id)
        .values(coach_developer_id=None).execution_options(synchronize_session=False))
    memberships = select(CohortMembership.id).where(CohortMembership.user_id == user.id)
    _delete(delete(PeerGroupMember).where(PeerGroupMember.membership_id.in_(memberships)))
    db.session.execute(
        update(CohortMembership).where(CohortMembership.user_id == user.id,
                                       CohortMembership.status.not_in(
                                           (MembershipStatus.WITHDRAWN,
                                            MembershipStatus.COMPLETED)))
        .values(status=MembershipStatus.WITHDRAWN).execution_options(synchronize_session=False))
    return {"requests_withdrawn": withdrawn}


def _delete_account_traces(user: User) -> dict[str, int]:
    results = list(db.session.scalars(select(Job.result_path).where(
        Job.requested_by_id == user.id, Job.result_path.is_not(None))))
    counts = {
        "notifications": _delete(delete(Notification).where(Notification.user_id == user.id)),
        # Working notes go with their writer, and with the candidate they are about.
        "panel_notes": _delete(delete(PanelNote).where(
            (PanelNote.author_id == user.id) | PanelNote.panel_id.in_(
                select(ReviewPanel.id).where(ReviewPanel.candidate_id == user.id)))),
        "account_links": _delete(delete(AccountToken).where(AccountToken.user_id == user.id)),
        "api_access": erase_api_access(user.id),
        "sso_identities": erase_identities(user.id),
        "quick_sign_codes": erase_codes(user.id),
        "unfinished_uploads": erase_unfinished_uploads(user.id),
        "sent_once_keys": erase_keys(user.id),
        "webhook_deliveries": erase_deliveries(user.id),
        "kept_drafts": _delete(delete(DraftRescue).where(DraftRescue.user_id == user.id)),
        "entries_read": _delete(delete(EntryRead).where(EntryRead.user_id == user.id)),
        "jobs": _delete(delete(Job).where(Job.requested_by_id == user.id)),
        "member_imports": _delete(delete(MemberImport)
                                  .where(MemberImport.created_by_id == user.id)),
        "outbox_messages": _delete(delete(OutboxMessage).where(
            OutboxMessage.to_address == user.email)),
        "login_attempts": _delete(delete(LoginAttempt).where(LoginAttempt.email == user.email)),
        "password_reset_requests": _delete(delete(PasswordResetRequest).where(
            PasswordResetRequest.email == user.email)),
    }
    folder = Path(current_app.config["EXPORT_FOLDER"])
    storage.delete_paths_after_commit([folder / Path(name).name for name in results])
    return counts


def _rename_in_messages(name: str, replacement: str) -> int:
    """Other people's notifications and unsent mail name the person ("Aisha asked for...")."""
    if len(name.strip()) < 4:
        return 0  # too short to replace without mangling other words; rare for full names
    renamed = db.session.execute(
        update(Notification).where(Notification.message.contains(name, autoescape=True))
        .values(message=func.replace(Notification.message, name, replacement))
        .execution_options(synchronize_session=False)).rowcount
    renamed += db.session.execute(
        update(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING,
                                    OutboxMessage.body_text.contains(name, autoescape=True)
                                    | OutboxMessage.subject.contains(name, autoescape=True))
        .values(body_text=func.replace(OutboxMessage.body_text, name, replacement),
                subject=func.replace(OutboxMessage.subject, name, replacement))
        .execution_options(synchronize_session=False)).rowcount
    return renamed


def _pseudonymise(user: User) -> None:
    now = utcnow()
    user.display_name = erased_name(user.id)
    user.email = f"erased-{user.id}@{ERASED_DOMAIN}"
    user.password_hash = None
    user.active = False
    user.is_admin = False
    user.is_programme_lead = False
    user.email_preference = EmailPreference.OFF
    user.last_login_at = None
    user.deactivated_at = user.deactivated_at or now
    user.erased_at = now
    user.end_all_sessions()
    db.session.flush()


def _delete(statement) -> int:
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount
