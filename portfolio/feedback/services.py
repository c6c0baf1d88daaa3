"""The rules for external feedback: asking, withdrawing, sharing, and the one-time submission.

Services take the acting user (or, for the person giving feedback, the link itself), raise
DomainError and only flush. The token is made here, mailed once and never stored: the request
keeps its SHA-256 hash.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date, timedelta

from flask import current_app, render_template
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..auth.services import external_url, normalise_email
from ..database import utcnow
from ..entries.authoring import writing_membership
from ..entries.models import Entry
from ..errors import DomainError
from ..extensions import db
from ..mail.models import OutboxMessage
from ..mail.services import queue_mail
from ..programmes.access import assert_cohort_writable
from .models import ExternalFeedback, FeedbackRequest, Relationship
from .permissions import can_manage_request

LINK_DAYS = 14
DEFAULT_PER_DAY = 10
MAX_TITLE = 200
MAX_QUESTION = 500
MAX_NAME = 120
MAX_EMAIL = 254
MAX_ANSWER = 5_000
MAX_ROLE = 200
# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class LinkUsedError(DomainError):
    """The link was used already: its feedback is in, another cannot be given through it."""

    def __init__(self):
        super().__init__("This link has already been used to give feedback.")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def per_day() -> int:
    return int(current_app.config.get("FEEDBACK_REQUESTS_PER_DAY", DEFAULT_PER_DAY))


# --- the candidate's side ------------------------------------------------------------------

def ask_for_feedback(actor, *, recipient_name: str, recipient_email: str, relationship: str,
                     entry_id: int | None = None, session_title: str = "",
                     session_date: date | None = None,
                     question: str = "") -> tuple[FeedbackRequest, str]:
    """Make a request, queue the mail carrying its one-time link; return it and its token."""
    membership = writing_membership(actor)
    if membership is None:
        raise DomainError("Only candidates in a cohort can ask for external feedback.")
    assert_cohort_writable(membership.cohort)
    title, when = _session(actor, entry_id, session_title, session_date)
    name, email = _recipient(recipient_name, recipient_email)
    if relationship not in set(Relationship):
        raise DomainError("Choose how they know your coaching.", "relationship")
    question = (question or "").strip()
    if len(question) > MAX_QUESTION:
        raise DomainError(f"Keep the question to {MAX_QUESTION} characters or fewer.",
                          "question")
    token, now = secrets.token_urlsafe(32), utcnow()
    request = FeedbackRequest(
        candidate_id=actor.id, cohort_id=membership.cohort_id, entry_id=entry_id or None,
        session_title=title, session_date=when, question=question, recipient_name=name,
        recipient_email=email, relation=relationship, token_hash=token_hash(token),
        created_at=now, expires_at=now + timedelta(days=LINK_DAYS), shared_with_peers=False,
        quota_day=now.date(), quota_slot=_free_slot(actor.id, now.date()))
    db.session.add(request)
    try:
        db.session.flush()
    except IntegrityError as error:  # another send took the same slot at the same moment
        raise DomainError("Another request was sent at the same moment. Send this one "
                          "again.") from error
    _queue_request_mail(request, actor, token)
    record("feedback.requested", actor=actor, target=request, cohort_id=request.cohort_id,
           relationship=relationship)
    return request, token


def _session(actor, entry_id, title, when) -> tuple[str, date]:
    if entry_id:
        entry = db.session.get(Entry, entry_id)
        if entry is None or entry.owner_id != actor.id:
            raise DomainError("Choose one of your own entries.", "entry_id")
        title, when = (title or "").strip() or entry.title, when or entry.practice_date
    title = (title or "").strip()
    if not title:
        raise DomainError("Enter a title for the session.", "session_title")
    if len(title) > MAX_TITLE:
        raise DomainError(f"Keep the title to {MAX_TITLE} characters or fewer.", "session_title")
    if when is None:
        raise DomainError("Enter the date of the session.", "session_date")
    if when > utcnow().date():
        raise DomainError("The session must have happened already.", "session_date")
    return title, when


def _recipient(name: str, email: str) -> tuple[str, str]:
    name, email = (name or "").strip(), normalise_email(email)
    if not name:
        raise DomainError("Enter the name of the person you are asking.", "recipient_name")
    if len(name) > MAX_NAME:
        raise DomainError(f"Keep the name to {MAX_NAME} characters or fewer.", "recipient_name")
    if len(email) > MAX_EMAIL or not EMAIL_SHAPE.fullmatch(email):
        raise DomainError("Enter an email address like name@example.com.", "recipient_email")
    return name, email


def _free_slot(candidate_id: int, day: date) -> int:
    limit = per_day()
    taken = set(db.session.scalars(select(FeedbackRequest.quota_slot).where(
        FeedbackRequest.candidate_id == candidate_id, FeedbackRequest.quota_day == day)))
    free = [slot for slot in range(1, limit + 1) if slot not in taken]
    if not free:
        raise DomainError(f"You can send {limit} feedback requests a day. You have sent them "
                          "all today; try again tomorrow.")
    return free[0]


def _queue_request_mail(request: FeedbackRequest, actor, token: str) -> None:
    text = render_template("feedback/request_email.txt", request=request, candidate=actor,
                           link=external_url("feedback_links.give", token=token),
                           days=LINK_DAYS)
    subject, _, body = text.partition("\n")
    message = queue_mail(request.recipient_email, subject.strip(), body.strip("\n") + "\n")
    request.outbox_message_id = message.id


def withdraw_request(request: FeedbackRequest, actor) -> FeedbackRequest:
    """Stop an unused link working; a used one stays, its feedback given."""
    if not can_manage_request(actor, request):
        raise DomainError("Only the candidate who asked can withdraw a request.")
    if request.withdrawn_at is not None:
        raise DomainError("That request was already withdrawn.")
    now = utcnow()
    changed = db.session.execute(
        update(FeedbackRequest).where(FeedbackRequest.id == request.id,
                                      FeedbackRequest.used_at.is_(None),
                                      FeedbackRequest.withdrawn_at.is_(None))
        .values(withdrawn_at=now).execution_options(synchronize_session=False)).rowcount
    db.session.expire(request)
    if not changed:
        raise DomainError("Their feedback has already arrived, so the request cannot be "
                          "withdrawn.")
    record("feedback.withdrawn", actor=actor, target=request, cohort_id=request.cohort_id)
    return request


def set_sharing(request: FeedbackRequest, actor, *, with_peers: bool) -> FeedbackRequest:
    if not can_manage_request(actor, request):
        raise DomainError("Only the candidate who asked can share this feedback.")
    request.shared_with_peers = bool(with_peers)
    db.session.flush()
    record("feedback.shared", actor=actor, target=request, cohort_id=request.cohort_id,
           peers=request.shared_with_peers)
    return request


# --- the link ------------------------------------------------------------------------------

class LinkState:
    LIVE = "live"
    USED = "used"


def open_link(token: str | None) -> tuple[str, FeedbackRequest] | None:
    """(state, request) for a token: live, or used. None (a 404) for anything else alike:
    unknown, malformed, expired or withdrawn."""
    if not token or not TOKEN_SHAPE.fullmatch(token):
        return None
    request = db.session.scalar(select(FeedbackRequest).where(
        FeedbackRequest.token_hash == token_hash(token)))
    if request is None or request.withdrawn_at is not None:
        return None
    if request.used_at is not None:
        return LinkState.USED, request
    if request.expires_at <= utcnow():
        return None
    return LinkState.LIVE, request


def give_feedback(request: FeedbackRequest, *, went_well: str, could_be_better: str,
                  giver_role: str, comments: str) -> ExternalFeedback:
    """Use the link and store the feedback; LinkUsedError if another submission used it first.

    The conditional UPDATE is the first write of the transaction: two submissions holding the
    same link wait on its row, and only the one that changed it goes on to store feedback."""
    answers = _answers(went_well, could_be_better, giver_role, comments)
    now = utcnow()
    claimed = db.session.execute(
        update(FeedbackRequest).where(FeedbackRequest.id == request.id,
                                      FeedbackRequest.used_at.is_(None),
                                      FeedbackRequest.withdrawn_at.is_(None),
                                      FeedbackRequest.expires_at > now)
        .values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        raise LinkUsedError()
    db.session.expire(request)
    feedback = ExternalFeedback(request_id=request.id, attributed_name=request.recipient_name,
                                attributed_email=request.recipient_email, submitted_at=now,
                                **answers)
    db.session.add(feedback)
    db.session.flush()
    record("feedback.given", target=request, cohort_id=request.cohort_id)
    return feedback


def _answers(went_well, could_be_better, giver_role, comments) -> dict:
    answers = {"went_well": (went_well or "").strip(),
               "could_be_better": (could_be_better or "").strip(),
               "giver_role": (giver_role or "").strip(), "comments": (comments or "").strip()}
    if not (answers["went_well"] or answers["could_be_better"] or answers["comments"]):
        raise DomainError("Write what went well, what could be better, or a comment.",
                          "went_well")
    if len(answers["giver_role"]) > MAX_ROLE:
        raise DomainError(f"Keep your role to {MAX_ROLE} characters or fewer.", "giver_role")
    for name in ("went_well", "could_be_better", "comments"):
        if len(answers[name]) > MAX_ANSWER:
            raise DomainError(f"Keep each answer to {MAX_ANSWER:,} characters or fewer.", name)
    return answers


# --- erasure -------------------------------------------------------------------------------

def erase_for(user_id: int) -> int:
    """Delete the person's requests, the feedback given to them and the mail that carried the
    links (it names them, and its link is dead now); return how many requests went."""
    mine = select(FeedbackRequest.outbox_message_id).where(
        FeedbackRequest.candidate_id == user_id)
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(mine))
                       .execution_options(synchronize_session=False))
    return db.session.execute(
        delete(FeedbackRequest).where(FeedbackRequest.candidate_id == user_id)
        .execution_options(synchronize_session=False)).rowcount
