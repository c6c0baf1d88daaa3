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

from ..wording import counts_in_words, plural

DECISIONS = {"signed_off": "Signed off", "not_yet": "Not yet"}

# Request status -> (words, tag colour). "completed" is refined by its decisions below.
REQUEST_WORDS = {
    "open": ("Waiting for review", "blue"),
    "in_review": ("In review", "purple"),
    "withdrawn": ("Withdrawn", "grey"),
    "returned": ("Returned for revision", "red"),
    "completed": ("Reviewed", "green"),
}

# Entry state -> (words, tag colour, value kept in entries.review_status for the filters).
ENTRY_WORDS = {
    "none": ("", "", "none"),
    "waiting": ("Waiting for review", "blue", "submitted"),
    "in_review": ("In review", "purple", "submitted"),
    "returned": ("Returned for revision", "red", "returned"),
    "signed_off": ("Signed off", "green", "signed_off"),
    "partly_signed_off": ("Partly signed off", "yellow", "reviewed"),
    "not_yet": ("Not yet signed off", "yellow", "reviewed"),
}

# The portfolio's status filter: one choice per stored value, in the words the badges use.
ENTRY_FILTER_WORDS = {
    "submitted": "Waiting for review or in review",
    "returned": "Returned for revision",
    "reviewed": "Reviewed, with competencies to revisit",
    "signed_off": "Signed off",
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
    def stored(self) -> str:
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
        if item.decision == "signed_off" and gone:
            revoked += 1
        elif item.decision == "signed_off":
            signed += 1
        else:
            not_yet += 1
    return Tally(signed, not_yet, revoked)


def request_label(status: str, decisions: Tally | None = None) -> Label:
    """'Waiting for review', 'In review', ..., 'Reviewed: 2 signed off and 1 not yet'."""
    text, colour = REQUEST_WORDS.get(status, (status.replace("_", " ").capitalize(), "grey"))
    if status == "completed" and decisions is not None and decisions.decided:
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
    live = sorted((r for r in requests if r.status != "withdrawn"),
                  key=lambda r: (r.created_at, r.id), reverse=True)
    if not live:
        return NO_REVIEW
    latest = live[0]
    if latest.status in ("open", "in_review"):
        return EntryReviewState("waiting" if latest.status == "open" else "in_review")
    if latest.status == "returned":
        return EntryReviewState("returned")
    newest: dict[int, DecisionFacts] = {}
    for item in sorted(decisions, key=lambda d: (d.created_at, d.id)):
        newest[item.competency_id] = item
    signed = sum(d.decision == "signed_off" and not d.revoked for d in newest.values())
    to_revisit = len(newest) - signed
    if not newest or not to_revisit:
        return EntryReviewState("signed_off", signed, 0)
    return EntryReviewState("partly_signed_off" if signed else "not_yet", signed, to_revisit)
