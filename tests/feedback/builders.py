"""Feedback requests and answers for tests."""

from __future__ import annotations

from datetime import date

from portfolio.feedback import services
from tests.factories import make_entry

ANSWERS = {"went_well": "Clear demonstrations of the drive phase.",
           "could_be_better": "More time on the second changeover.",
           "giver_role": "Head coach, Riverside AC", "comments": "The group loved it."}


def ask(s, *, email="coach@club.example", entry=None, **overrides):
    """The author asks a club head coach about a session; returns (request, token)."""
    fields = {"recipient_name": "Hana Headcoach", "recipient_email": email,
              "relationship": "head_coach", "question": "How was my pacing?"}
    if entry is not None:
        fields["entry_id"] = entry.id
    else:
        fields |= {"session_title": "Relay changeovers", "session_date": date(2026, 10, 3)}
    return services.ask_for_feedback(s.author, **(fields | overrides))


def answered(s, **overrides):
    request, token = ask(s, **overrides)
    services.give_feedback(request, **ANSWERS)
    return request, token


def session_entry(s, title="Block starts with the under-17s"):
    return make_entry(s.author, cohort=s.cohort, privacy="private", title=title)
