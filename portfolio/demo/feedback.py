"""Demo external feedback: Jordan asked his club's head coach about a relay session through a
one-time link, and she answered; a second request, to a parent, is still waiting.

Runs after the entries seeder. Idempotent and flush-only: it does nothing when Jordan already
has a feedback request. Everything goes through the feedback services.
"""

from __future__ import annotations

from sqlalchemy import exists, select

from ..auth.models import User
from ..entries.models import Entry
from ..extensions import db
from ..feedback import services
from ..feedback.models import FeedbackRequest

JORDAN = "coach1@example.org"


def seed(users: dict[str, User]) -> bool:
    jordan = users.get(JORDAN)
    if jordan is None or db.session.scalar(select(exists().where(
            FeedbackRequest.candidate_id == jordan.id))):
        return False
    entry = db.session.scalar(select(Entry).where(
        Entry.owner_id == jordan.id, Entry.practice_date.is_not(None))
        .order_by(Entry.practice_date.desc(), Entry.id).limit(1))
    if entry is None:
        return False
    request, _ = services.ask_for_feedback(
        jordan, entry_id=entry.id, recipient_name="Helen Okafor",
        recipient_email="head.coach@riverside-ac.example", relationship="head_coach",
        question="Did the athletes get enough changeover practice at full speed?")
    services.give_feedback(
        request, giver_role="Head coach, Riverside Athletics Club",
        went_well="Clear demonstrations, and every athlete knew their check mark before the "
                  "first run.",
        could_be_better="The second leg waited too long between runs; two smaller groups "
                        "would keep them warm.",
        comments="The quietest athlete asked you a question for the first time. Keep that up.")
    services.ask_for_feedback(
        jordan, entry_id=entry.id, recipient_name="Sam Patel (parent)",
        recipient_email="parent@example.net", relationship="parent")
    db.session.flush()
    return True
