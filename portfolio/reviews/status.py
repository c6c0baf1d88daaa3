"""The one review-status vocabulary: what a review request and an entry say, in words and colour.

An entry's review state is derived here, and only here, from its review requests and the coach
developers' decisions, so the entry's badge and its request's status can never contradict each
other: a request "Reviewed: 2 signed off and 1 not yet" shows on its entry as "Partly signed off
— 1 competency to revisit", and "Returned for revision" means a reviewer pressed that button.

Pure functions over plain values; the reads that feed them live in `queries.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ..entries.models import ReviewStatus
from ..wording import counts_in_words, plural


class RequestStatus(StrEnum):
    """A review request's stored status (review_requests.status)."""

    OPEN = "open"
    IN_REVIEW = "in_review"
    WITHDRAWN = "withdrawn"
    RETURNED = "returned"
    COMPLETED = "completed"


class Decision(StrEnum):
    """A coach developer's or peer's decision on one competency (signoffs.decision)."""

    SIGNED_OFF = "signed_off"
    NOT_YET = "not_yet"


# A request still waiting for its reviewer: at most one per entry (a partial unique index).
OPEN_STATUSES = (RequestStatus.OPEN, RequestStatus.IN_REVIEW)

DECISIONS = {Decision.SIGNED_OFF: "Signed off", Decision.NOT_YET: "Not yet"}

# Request status -> (words, tag colour). "completed" is refined by its decisions below.
REQUEST_WORDS = {
    RequestStatus.OPEN: ("Waiting for review", "blue"),
    RequestStatus.IN_REVIEW: ("In review", "purple"),
    RequestStatus.WITHDRAWN: ("Withdrawn", "grey"),
    RequestStatus.RETURNED: ("Returned for revision", "red"),
    RequestStatus.COMPLETED: ("Reviewed", "green"),
}

# Entry state -> (words, tag colour, value kept in entries.review_status for the filters).
ENTRY_WORDS = {
    "none": ("", "", ReviewStatus.NONE),
    "waiting": ("Waiting for review", "blue", ReviewStatus.SUBMITTED),
    "in_review": ("In review", "purple", ReviewStatus.SUBMITTED),
    "returned": ("Returned for revision", "red", ReviewStatus.RETURNED),
    "signed_off": ("Signed off", "green", ReviewStatus.SIGNED_OFF),
    "partly_signed_off": ("Partly signed off", "yellow", ReviewStatus.REVIEWED),
    "not_yet": ("Not yet signed off", "yellow", ReviewStatus.REVIEWED),
}

# The portfolio's status filter: one choice per stored value, in the words the badges use.
ENTRY_FILTER_WORDS = {
    ReviewStatus.SUBMITTED: "Waiting for review or in review",
    ReviewStatus.RETURNED: "Returned for revision",
    ReviewStatus.REVIEWED: "Reviewed, with competencies to revisit",
    ReviewStatus.SIGNED_OFF: "Signed off",
}


@dataclass(frozen=True)
class Label:
    """Words and a tag colour, ready for the `status_tag` macro."""

    text: str
    colour: str


@dataclass(frozen=True)
class Tally:
    """What one set of coach-developer decisions came to."""

    signed_off: int = 0
    not_yet: int = 0
    revoked: int = 0

    @property
    def decided(self) -> int:
        return self.signed_off + self.not_yet + self.revoked

    def in_words(self) -> str:
        return counts_in_words((self.signed_off, "signed off"), (self.not_yet, "not yet"),
                               (self.revoked, "revoked"), nothing="no decisions")


@dataclass(frozen=True)
class RequestFacts:
    """The few columns of a review request the entry's state depends on."""

    id: int
    status: str
    created_at: datetime


@dataclass(frozen=True)
class DecisionFacts:
    """One coach-developer decision: on which competency, what, when, and whether revoked."""

    competency_id: int
    decision: str
    revoked: bool
    created_at: datetime
    id: int = 0


@dataclass(frozen=True)
class EntryReviewState:
    key: str
    signed_off: int = 0
    to_revisit: int = 0

    @property
    def stored(self) -> ReviewStatus:
        """The value the entries feature keeps in `review_status` (its list filter reads it)."""
        return ENTRY_WORDS[self.key][2]

    @property
    def label(self) -> Label | None:
        text, colour, _ = ENTRY_WORDS[self.key]
        if not text:
            return None
        if self.key in ("partly_signed_off", "not_yet"):
            text = f"{text} — {plural(self.to_revisit, 'competency')} to revisit"
        return Label(text, colour)


NO_REVIEW = EntryReviewState("none")


def tally(signoffs: Iterable) -> Tally:
    """Count decisions (Signoff rows or DecisionFacts): signed off, not yet, revoked."""
    signed = not_yet = revoked = 0
    for item in signoffs:
        gone = item.revoked if isinstance(item, DecisionFacts) else item.revocation is not None
        if item.decision == Decision.SIGNED_OFF and gone:
            revoked += 1
        elif item.decision == Decision.SIGNED_OFF:
            signed += 1
        else:
            not_yet += 1
    return Tally(signed, not_yet, revoked)


def request_label(status: str, decisions: Tally | None = None) -> Label:
    """'Waiting for review', 'In review', ..., 'Reviewed: 2 signed off and 1 not yet'."""
    text, colour = REQUEST_WORDS.get(status, (status.replace("_", " ").capitalize(), "grey"))
    if status == RequestStatus.COMPLETED and decisions is not None and decisions.decided:
        text = f"{text}: {decisions.in_words()}"
        if decisions.not_yet or decisions.revoked:
            colour = "yellow"
    return Label(text, colour)


def derive_entry_state(requests: Iterable[RequestFacts],
                       decisions: Iterable[DecisionFacts]) -> EntryReviewState:
    """An entry's review state from all its requests and coach-developer decisions.

    The latest request that was not withdrawn decides whether the entry is waiting, in
    review or returned. Once reviewed, each competency counts by its latest decision across
    every review of the entry (a later version's sign-off settles an earlier "not yet"; a
    revoked sign-off is to revisit again).
    """
    live = sorted((r for r in requests if r.status != RequestStatus.WITHDRAWN),
                  key=lambda r: (r.created_at, r.id), reverse=True)
    if not live:
        return NO_REVIEW
    latest = live[0]
    if latest.status in OPEN_STATUSES:
        return EntryReviewState("waiting" if latest.status == RequestStatus.OPEN else "in_review")
    if latest.status == RequestStatus.RETURNED:
        return EntryReviewState("returned")
    newest: dict[int, DecisionFacts] = {}
    for item in sorted(decisions, key=lambda d: (d.created_at, d.id)):
        newest[item.competency_id] = item
    signed = sum(d.decision == Decision.SIGNED_OFF and not d.revoked for d in newest.values())
    to_revisit = len(newest) - signed
    if not newest or not to_revisit:
        return EntryReviewState("signed_off", signed, 0)
    return EntryReviewState("partly_signed_off" if signed else "not_yet", signed, to_revisit)
