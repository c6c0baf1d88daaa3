"""Demo peer learning: comments, peer feedback and sign-offs, one returned entry, one open
(overdue) review request and several signed-off competencies, built on the demo entries.

Runs after the programmes, entries and evidence seeders. Idempotent and flush-only: each step
looks for what it would make (a request for that entry, a comment with that text, a peer
sign-off on that version) and skips it when present. Everything goes through the reviews
services, back-dated with `at=`, so sign-offs carry real version numbers and content hashes.
Email is switched off for the demo people while their history is written, so nobody is
emailed about things that "happened" weeks ago.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from ..auth.models import EmailPreference, User
from ..database import utcnow
from ..entries import services as entry_services
from ..entries.models import Entry
from ..extensions import db
from ..frameworks.models import Competency
from ..notifications.models import Notification
from ..reviews import services
from ..reviews.models import Comment, CommentKind, ReviewRequest, Signoff, SignoffRole

DEVELOPER, JORDAN, MEGAN, TOM = ("developer@example.org", "coach1@example.org",
                                 "coach2@example.org", "coach3@example.org")
RECENT = timedelta(days=21)  # notifications about older events start out read


def seed(users: dict[str, User]) -> bool:
    people = {email: users.get(email) for email in (DEVELOPER, JORDAN, MEGAN, TOM)}
    if any(user is None for user in people.values()):
        return False
    entries = _demo_entries(people)
    if not entries:
        return False
    created = False
    with _email_paused(list(people.values())):
        for step in (_signed_off_block_starts, _returned_long_jump, _signed_off_easy_runs,
                     _open_hurdles_request, _pacing_conversation):
            created = bool(step(people, entries)) or created
    db.session.flush()
    return created


def _demo_entries(people) -> dict[str, Entry]:
    titles = {
        "block_starts": (JORDAN, "Block starts with the U17 group"),
        "hurdles": (JORDAN, "Hurdle rhythm with a left-leg-dominant athlete"),
        "long_jump": (MEGAN, "Approach-run consistency in long jump"),
        "easy_runs": (TOM, "Easy runs that were not easy"),
        "pacing": (TOM, "Pacing without watches"),
    }
    found = {}
    for key, (email, title) in titles.items():
        entry = db.session.scalar(select(Entry).where(Entry.owner_id == people[email].id,
                                                      Entry.title == title))
        if entry is not None and entry.cohort_id is not None and entry.latest_version_number:
            found[key] = entry
    return found


@contextmanager
def _email_paused(users: list[User]):
    saved = {user.id: user.email_preference for user in users}
    since = db.session.scalar(select(Notification.id).order_by(Notification.id.desc())
                              .limit(1)) or 0
    for user in users:
        user.email_preference = EmailPreference.OFF
    try:
        yield
    finally:
        for user in users:
            user.email_preference = saved[user.id]
        _settle_notifications(since)


def _settle_notifications(after_id: int) -> None:
    """Date the new notifications like their events; old ones start out read."""
    for item in db.session.scalars(select(Notification).where(Notification.id > after_id)):
        if item.created_at < utcnow() - RECENT:
            item.read_at = item.read_at or item.created_at
    db.session.flush()


def _ago(days: int, hour: int = 18) -> datetime:
    day = utcnow().date() - timedelta(days=days)
    return datetime.combine(day, time(hour, 30), tzinfo=UTC)


def _codes(entry: Entry, *codes: str) -> list[int]:
    return list(db.session.scalars(select(Competency.id).where(
        Competency.framework_id == entry.cohort.framework_id, Competency.code.in_(codes))
        .order_by(Competency.code)))


def _has_request(entry: Entry) -> bool:
    return db.session.scalar(select(ReviewRequest.id).where(
        ReviewRequest.entry_id == entry.id).limit(1)) is not None


def _request(entry: Entry, author: User, codes: tuple[str, ...], message: str,
             days_ago: int) -> ReviewRequest:
    return services.submit_for_review(entry, author, _codes(entry, *codes), message,
                                      at=_ago(days_ago, 9))


def _save_update(entry: Entry, author: User, section: str, addition: str, days_ago: int):
    """The author edits after the review: a new version through the entries service."""
    text = (entry.sections or {}).get(section, "")
    entry_services.update_working_copy(entry, entry_services.EntryDraft(
        sections={**(entry.sections or {}), section: f"{text}\n\n{addition}".strip()}),
        author, lenient=True)
    entry_services.save_version(entry, author, saved_at=_ago(days_ago, 20))


def _review(review_request, developer, decisions: dict[str, tuple[str, str]], overall: str,
            days_ago: int, returning: bool = False) -> None:
    ids = {competency.code: competency.id for competency in db.session.scalars(
        select(Competency).where(Competency.id.in_(
            [link.competency_id for link in review_request.competencies])))}
    services.start_review(review_request, developer, at=_ago(days_ago + 1, 8))
    services.complete_review(
        review_request, developer,
        [services.Decision(ids[code], choice, text) for code, (choice, text) in decisions.items()],
        overall, review_request.lock_version, returning, at=_ago(days_ago, 16))


def _comment(entry, author, body, days_ago, parent=None) -> Comment:
    existing = db.session.scalar(select(Comment).where(
        Comment.entry_id == entry.id, Comment.author_id == author.id, Comment.body == body))
    return existing or services.add_comment(entry, author, body, parent, at=_ago(days_ago))


def _peer_signoff(entry, peer, code, note, days_ago) -> bool:
    competency_id = _codes(entry, code)[0]
    if db.session.scalar(select(Signoff.id).where(
            Signoff.entry_id == entry.id, Signoff.reviewer_id == peer.id,
            Signoff.competency_id == competency_id,
            Signoff.role == SignoffRole.PEER)) is not None:
        return False
    services.peer_signoff(entry, peer, competency_id, note, at=_ago(days_ago))
    return True


# --- the stories -------------------------------------------------------------------------

def _signed_off_block_starts(people, entries) -> bool:
    """Signed off, then Jordan's later update makes the sign-off "changed since"."""
    entry = entries.get("block_starts")
    if entry is None or _has_request(entry):
        return False
    request = _request(entry, people[JORDAN], ("TC1", "TC2"),
                       "I would most like feedback on how I split my attention between the "
                       "newer and experienced athletes.", 74)
    _review(request, people[DEVELOPER], {
        "TC1": ("signed_off", "You spotted the early rise and traced it to the set position, "
                              "not effort. That is accurate analysis."),
        "TC2": ("signed_off", "Starting the newer pair first, with one cue each, is practice "
                              "designed around what transfers to a race start."),
    }, "A clear, honest reflection. Keep filming from the side as well as the front.", 71)
    comment = _comment(entry, people[MEGAN], "The single cue idea is great. I have been "
                       "guilty of long explanations at the jumps pit too.", 70)
    _comment(entry, people[JORDAN], "Thanks Megan. The tablet clips did more than my words "
             "ever did.", 69, parent=comment)
    _peer_signoff(entry, people[MEGAN], "TC2", "Watched the session in person: the cue and "
                  "the order change made a visible difference.", 68)
    _save_update(entry, people[JORDAN], "now_what", "Four weeks on: the fifth athlete now "
                 "starts well with a partner-resisted start before each block start.", 50)
    return True


def _returned_long_jump(people, entries) -> bool:
    """Returned for revision: TC1 signed off, MD1 "not yet"; Megan's move next."""
    entry = entries.get("long_jump")
    if entry is None or _has_request(entry):
        return False
    request = _request(entry, people[MEGAN], ("TC1", "MD1"), "", 67)
    _review(request, people[DEVELOPER], {
        "TC1": ("signed_off", "Measuring at the six-stride checkmark shows you found the real "
                              "source of the variation."),
        "MD1": ("not_yet", "Show how you tracked the change over time and checked how the "
                           "athletes felt about the new routine."),
    }, "Add how the athletes responded to the new routine and how you checked it, then send "
       "the new version for MD1.", 64, returning=True)
    services.add_peer_feedback(
        entry, people[TOM], "Counting the first four strides aloud is simple and the "
        "athletes can own it.", "Film one approach a week so they can see the rhythm too.",
        "Did the rolling start change how relaxed they looked at take-off?", at=_ago(62))
    return True


def _signed_off_easy_runs(people, entries) -> bool:
    entry = entries.get("easy_runs")
    if entry is None or _has_request(entry):
        return False
    request = _request(entry, people[TOM], ("MD1", "TC3"), "", 84)
    _review(request, people[DEVELOPER], {
        "MD1": ("signed_off", "Using heart rate to check what 'easy' really meant is exactly "
                              "the monitoring this competency asks for."),
        "TC3": ("signed_off", "Slowing the easy days to protect the hard ones is safe, "
                              "deliberate development."),
    }, "Strong work. Share the heart-rate sheet with the peer group.", 80)
    _comment(entry, people[DEVELOPER], "Worth bringing to the next peer group call: several "
             "of you have the same easy-run problem.", 79)
    return True


def _open_hurdles_request(people, entries) -> bool:
    """Waiting for review and past its due date, so the dashboard has something to chase."""
    entry = entries.get("hurdles")
    if entry is None or _has_request(entry):
        return False
    _request(entry, people[JORDAN], ("TC3",),
             "Is three weeks of wall drills enough before I film again?", 18)
    _comment(entry, people[TOM], "Filming side-on changed what you saw completely. Useful "
             "reminder for my 800 m runners' arm carriage too.", 17)
    return True


def _pacing_conversation(people, entries) -> bool:
    entry = entries.get("pacing")
    if entry is None:
        return False
    created = _peer_signoff(entry, people[JORDAN], "TC2", "Racing without watches in "
                            "training is practice that transfers straight to a tactical 800.",
                            12)
    if db.session.scalar(select(Comment.id).where(
            Comment.entry_id == entry.id, Comment.kind == CommentKind.PEER_FEEDBACK)) is None:
        feedback = services.add_peer_feedback(
            entry, people[MEGAN], "Letting the athletes call the splits themselves.",
            "Ask them to write their predicted split before each rep.",
            "How did the quieter athlete cope with leading?", at=_ago(13))
        _comment(entry, people[TOM], "She led twice and asked to lead again next week.", 12,
                 parent=feedback)
        created = True
    return created
