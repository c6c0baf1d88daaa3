"""Ask for sign-off now: make a ten-minute, one-time code, and sign with it.

Asking opens (or reuses) the ordinary review request for the chosen competencies, so the signer
records the same immutable, version-bound sign-offs as from the dashboard (reviews'
`complete_review`). The code is random; only its SHA-256 is stored. It is spent by one
conditional UPDATE (unused and unexpired) in the signing transaction, so of two overlapping
uses exactly one signs, and a refused decision leaves the code unspent.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from ..audit.services import record
from ..database import utcnow
from ..entries.models import EntryStatus
from ..errors import DomainError
from ..extensions import db
from ..frameworks.models import Competency, in_framework_order
from ..reviews import services as reviews
from ..reviews.models import OPEN_STATUSES, Decision, ReviewRequest, Signoff, SignoffRole
from ..reviews.permissions import can_review_request
from ..reviews.services.common import latest_version
from .models import QuickSignCode
from .permissions import can_ask_for_quick_sign, can_sign_with_code

LIFETIME = timedelta(minutes=10)
CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{16}")
REQUEST_NOTE = "Asked in person with a sign-off code."
OUTDATED = ("The entry has been saved again since this code was made, so it can no longer be "
            "signed with it. Ask the candidate for a new code.")


class CodeRefused(DomainError):
    """Unknown, malformed, expired or used: every such code answers the same 404."""


class NewerVersion(DomainError):
    """The entry was saved again after the code was made: the code signs nothing."""


def hash_code(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def signable_competencies(entry, version) -> list[Competency]:
    """What the saved version claims, less what a coach developer already decided on it or
    signed off on any version of this entry (a sign-off that was revoked counts again)."""
    if version is None or not version.competency_ids:
        return []
    decided = select(Signoff.competency_id).where(
        Signoff.entry_id == entry.id, Signoff.role == SignoffRole.COACH_DEVELOPER,
        (Signoff.entry_version_id == version.id)
        | ((Signoff.decision == Decision.SIGNED_OFF) & ~Signoff.revocation.has()))
    return list(db.session.scalars(in_framework_order(select(Competency).where(
        Competency.id.in_(version.competency_ids), Competency.id.not_in(decided)))))


def ask_for_quick_sign(entry, actor, competency_ids, *, now: datetime | None = None,
                       observation_id: int | None = None) -> tuple[QuickSignCode, str]:
    """Make a code for the latest saved version and the chosen competencies; return it and
    the raw code (shown once, never stored). An observation of the candidate's session may be
    attached to the review request the code opens (reviews checks it is theirs)."""
    if not can_ask_for_quick_sign(actor, entry):
        raise DomainError("Only the author can ask for a sign-off of this entry.")
    version = latest_version(entry)
    if entry.status != EntryStatus.PUBLISHED or version is None:
        raise DomainError("Save the entry before asking for a sign-off.")
    wanted = _chosen(entry, version, competency_ids)
    review_request = _request_for(entry, actor, version, wanted, observation_id)
    now = now or utcnow()
    raw = secrets.token_urlsafe(12)
    code = QuickSignCode(
        token_hash=hash_code(raw), entry_id=entry.id, entry_version_id=version.id,
        content_hash=version.content_hash, candidate_id=actor.id,
        review_request_id=review_request.id, competency_ids=sorted(wanted), created_at=now,
        expires_at=now + LIFETIME)
    db.session.add(code)
    db.session.flush()
    record("quicksign.asked", actor=actor, target=code, cohort_id=review_request.cohort_id,
           entry_id=entry.id, version=version.number, request_id=review_request.id)
    return code, raw


def _chosen(entry, version, competency_ids) -> set[int]:
    try:
        wanted = {int(item) for item in competency_ids or []}
    except (TypeError, ValueError):
        wanted = {-1}
    if not wanted:
        raise DomainError("Choose at least one competency to be signed off.",
                          field="competencies")
    if not wanted <= {c.id for c in signable_competencies(entry, version)}:
        raise DomainError("Choose competencies this version claims that are not signed off.",
                          field="competencies")
    return wanted


def _request_for(entry, actor, version, wanted: set[int],
                 observation_id: int | None = None) -> ReviewRequest:
    """The open review request of exactly this version and these competencies, or a new one."""
    pending = db.session.scalar(select(ReviewRequest).where(
        ReviewRequest.entry_id == entry.id, ReviewRequest.status.in_(OPEN_STATUSES)))
    if pending is None:
        return reviews.submit_for_review(entry, actor, sorted(wanted), REQUEST_NOTE,
                                         observation_id=observation_id)
    same = {link.competency_id for link in pending.competencies} == wanted
    if pending.entry_version_id == version.id and same:
        return pending
    codes = ", ".join(sorted(link.competency.code for link in pending.competencies))
    raise DomainError(f"This entry is already waiting for review of version "
                      f"{pending.entry_version.number} ({codes}). Choose exactly those "
                      "competencies, or withdraw that request first.", field="competencies")


def _peer_signoffs(code: QuickSignCode, actor, decisions: list[reviews.Decision],
                   now: datetime) -> list[Signoff]:
    """A peer signs off what they choose "Signed off" for (a peer records no other decision),
    each with its feedback as the peer's note."""
    chosen = [item for item in decisions if item.decision == Decision.SIGNED_OFF]
    if not chosen:
        raise DomainError("Choose “Signed off” for at least one competency: a peer records "
                          "sign-offs only.")
    return [reviews.peer_signoff(code.entry, actor, item.competency_id, item.feedback, at=now)
            for item in chosen]


def find_code(raw: str | None, *, now: datetime | None = None) -> QuickSignCode | None:
    """The unused, unexpired code with this value, or None (however it failed)."""
    if not raw or not CODE_SHAPE.fullmatch(raw):
        return None
    code = db.session.scalar(select(QuickSignCode).where(
        QuickSignCode.token_hash == hash_code(raw)))
    if code is None or not code.is_usable(now or utcnow()):
        return None
    return code


def is_outdated(code: QuickSignCode) -> bool:
    """True when the entry has a newer version than the one the code shows."""
    version = code.entry_version
    return code.entry.latest_version_number != version.number \
        or version.content_hash != code.content_hash


def sign_with_code(code: QuickSignCode, actor, decisions: list[reviews.Decision],
                   overall_feedback: str = "", *, now: datetime | None = None) -> list[Signoff]:
    """Spend the code and record the signer's decision on each of its competencies."""
    if not can_sign_with_code(actor, code):
        raise CodeRefused("Not found.")
    db.session.refresh(code.entry)  # a version saved since this request loaded the page
    if is_outdated(code):
        raise NewerVersion(OUTDATED)
    now = now or utcnow()
    spent = db.session.execute(
        update(QuickSignCode)
        .where(QuickSignCode.id == code.id, QuickSignCode.used_at.is_(None),
               QuickSignCode.expires_at > now)
        .values(used_at=now, used_by_id=actor.id)
        .execution_options(synchronize_session=False))
    if spent.rowcount != 1:
        raise CodeRefused("Not found.")
    if can_review_request(actor, code.review_request):
        signoffs = reviews.complete_review(code.review_request, actor, decisions,
                                           overall_feedback, None, at=now)
    else:
        signoffs = _peer_signoffs(code, actor, decisions, now)
    db.session.refresh(code)
    record("quicksign.used", actor=actor, target=code, cohort_id=code.review_request.cohort_id,
           entry_id=code.entry_id, request_id=code.review_request_id,
           version=code.entry_version.number, content_hash=code.content_hash)
    return signoffs
