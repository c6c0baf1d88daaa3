"""The rules for showcases: building one, its items, sharing it and submitting a locked copy.

Services take the acting user, raise DomainError and only flush. Every change to a showcase or
its items bumps the showcase's lock_version (its version column), so two tabs editing the same
showcase cannot overwrite each other: the second write finds the version moved and gets a
ConflictError. Secret links live in links.py.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..audit.services import record
from ..database import utcnow
from ..entries.authoring import version_privacy, writing_membership
from ..entries.models import Entry, EntryVersion, PrivacyTier
from ..errors import ConflictError, DomainError, ReadOnlyError
from ..evidence.models import Evidence
from ..extensions import db
from ..programmes.access import assert_cohort_writable
from ..reviews.models import Decision, Signoff
from ..text import render_markdown
from .models import ItemKind, Showcase, ShowcaseItem

CONFLICT_MESSAGE = ("This showcase was changed somewhere else (another window or device) after "
                    "you opened it, so your change was not made. Reload it and try again.")
LOCKED_MESSAGE = ("This is the copy you submitted for review, so it can no longer be changed. "
                  "Change your own showcase instead.")
MAX_TITLE = 200
MAX_INTRODUCTION = 20_000
MAX_NOTE = 2_000
MAX_ITEMS = 200

_Service = TypeVar("_Service", bound=Callable)


def settled_by_the_database(service: _Service) -> _Service:
    """A write that lost a race (the version moved, a row vanished) becomes a ConflictError."""
    @wraps(service)
    def guarded(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except (StaleDataError, IntegrityError) as error:
            raise ConflictError(CONFLICT_MESSAGE) from error
    return guarded  # type: ignore[return-value]


# --- the showcase itself -------------------------------------------------------------------

@settled_by_the_database
def create_showcase(actor, *, title: str, introduction: str = "") -> Showcase:
    """Start a showcase in the actor's current cohort (candidates only)."""
    membership = writing_membership(actor)
    if membership is None:
        raise DomainError("Only candidates in a cohort can make showcases.")
    assert_cohort_writable(membership.cohort)
    showcase = Showcase(owner_id=actor.id, cohort_id=membership.cohort_id,
                        shared_with_developers=False, shared_with_peers=False)
    _write_text(showcase, title, introduction)
    db.session.add(showcase)
    db.session.flush()
    record("showcase.created", actor=actor, target=showcase, cohort_id=showcase.cohort_id)
    return showcase


@settled_by_the_database
def update_showcase(showcase: Showcase, actor, *, title: str, introduction: str,
                    shared_with_developers: bool, shared_with_peers: bool,
                    expected_lock: int | None) -> Showcase:
    """Change the title, introduction and who the showcase is shared with."""
    _assert_can_edit(showcase, actor, expected_lock)
    _write_text(showcase, title, introduction)
    sharing = (bool(shared_with_developers), bool(shared_with_peers))
    if sharing != (showcase.shared_with_developers, showcase.shared_with_peers):
        showcase.shared_with_developers, showcase.shared_with_peers = sharing
        record("showcase.shared", actor=actor, target=showcase, cohort_id=showcase.cohort_id,
               developers="yes" if sharing[0] else "no", peers="yes" if sharing[1] else "no")
    _touch(showcase)
    return showcase


@settled_by_the_database
def delete_showcase(showcase: Showcase, actor, *, expected_lock: int | None) -> None:
    _assert_can_edit(showcase, actor, expected_lock)
    record("showcase.deleted", actor=actor, target=showcase, cohort_id=showcase.cohort_id,
           items=len(showcase.items))
    db.session.delete(showcase)
    db.session.flush()


def _write_text(showcase: Showcase, title: str, introduction: str) -> None:
    title = (title or "").strip()
    if not title:
        raise DomainError("Enter a title for the showcase.", "title")
    if len(title) > MAX_TITLE:
        raise DomainError(f"The title must be {MAX_TITLE} characters or fewer.", "title")
    introduction = (introduction or "").replace("\r\n", "\n")
    if len(introduction) > MAX_INTRODUCTION:
        raise DomainError(f"The introduction must be {MAX_INTRODUCTION:,} characters or fewer.",
                          "introduction")
    showcase.title = title
    if introduction != showcase.introduction or not showcase.introduction_html:
        # Rendered once as it is saved; every reader shows the stored HTML.
        showcase.introduction = introduction
        showcase.introduction_html = str(render_markdown(introduction))


# --- items ---------------------------------------------------------------------------------

@settled_by_the_database
def add_heading(showcase: Showcase, actor, *, heading: str,
                expected_lock: int | None) -> ShowcaseItem:
    _assert_can_edit(showcase, actor, expected_lock)
    heading = (heading or "").strip()
    if not heading:
        raise DomainError("Enter the heading's text.", "heading")
    if len(heading) > MAX_TITLE:
        raise DomainError(f"A heading must be {MAX_TITLE} characters or fewer.", "heading")
    return _append(showcase, ShowcaseItem(kind=ItemKind.HEADING, heading=heading))


@settled_by_the_database
def add_entry_version(showcase: Showcase, actor, *, entry_id: int | None,
                      version_number: int | None = None, note: str = "",
                      expected_lock: int | None) -> ShowcaseItem:
    """Add one saved version of one of the actor's entries (the latest unless one is named)."""
    _assert_can_edit(showcase, actor, expected_lock)
    entry = db.session.get(Entry, entry_id) if entry_id else None
    if entry is None or entry.owner_id != actor.id or not entry.latest_version_number:
        raise DomainError("Choose one of your entries that has a saved version.", "entry")
    number = version_number or entry.latest_version_number
    version = _version(entry.id, number)
    if version is None:
        raise DomainError(f"That entry has no version {number}.", "version")
    _refuse_private(version)
    return _append(showcase, ShowcaseItem(kind=ItemKind.ENTRY_VERSION,
                                          entry_version_id=version.id, note=_note(note)))


@settled_by_the_database
def add_evidence(showcase: Showcase, actor, *, evidence_id: int | None, note: str = "",
                 expected_lock: int | None) -> ShowcaseItem:
    """Add one of the actor's evidence items, keeping what its title and description say now."""
    _assert_can_edit(showcase, actor, expected_lock)
    evidence = db.session.get(Evidence, evidence_id) if evidence_id else None
    if evidence is None or evidence.owner_id != actor.id or evidence.deleted_at is not None:
        raise DomainError("Choose an item from your evidence library.", "evidence")
    return _append(showcase, ShowcaseItem(
        kind=ItemKind.EVIDENCE, evidence_id=evidence.id, note=_note(note),
        pinned_title=evidence.title[:MAX_TITLE], pinned_description=evidence.description or ""))


@settled_by_the_database
def add_signoff(showcase: Showcase, actor, *, signoff_id: int | None, note: str = "",
                expected_lock: int | None) -> ShowcaseItem:
    """Add a competency signed off for the actor (a sign-off never changes once made)."""
    _assert_can_edit(showcase, actor, expected_lock)
    signoff = db.session.get(Signoff, signoff_id) if signoff_id else None
    if (signoff is None or signoff.candidate_id != actor.id
            or signoff.decision != Decision.SIGNED_OFF or signoff.revocation is not None):
        raise DomainError("Choose one of your signed-off competencies.", "signoff")
    return _append(showcase, ShowcaseItem(kind=ItemKind.SIGNOFF, signoff_id=signoff.id,
                                          note=_note(note)))


@settled_by_the_database
def edit_item(item: ShowcaseItem, actor, *, note: str, heading: str | None = None,
              expected_lock: int | None) -> ShowcaseItem:
    """Change an item's caption, or a heading's text."""
    _assert_can_edit(item.showcase, actor, expected_lock)
    if item.kind == ItemKind.HEADING:
        heading = (heading or "").strip()
        if not heading or len(heading) > MAX_TITLE:
            raise DomainError(f"Enter the heading's text ({MAX_TITLE} characters or fewer).",
                              "heading")
        item.heading = heading
    else:
        item.note = _note(note)
    _touch(item.showcase)
    return item


@settled_by_the_database
def move_item(item: ShowcaseItem, actor, *, direction: str,
              expected_lock: int | None) -> ShowcaseItem:
    """Swap an item with its neighbour above ("up") or below ("down")."""
    showcase = item.showcase
    _assert_can_edit(showcase, actor, expected_lock)
    items = list(showcase.items)
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(items):
        raise DomainError("That item cannot move further.")
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position
    showcase.items.sort(key=lambda each: each.position)  # the page shows the new order now
    _touch(showcase)
    return item


@settled_by_the_database
def remove_item(item: ShowcaseItem, actor, *, expected_lock: int | None) -> None:
    showcase = item.showcase
    _assert_can_edit(showcase, actor, expected_lock)
    showcase.items.remove(item)
    _touch(showcase)


@settled_by_the_database
def update_to_latest(item: ShowcaseItem, actor, *, expected_lock: int | None) -> bool:
    """Move an entry item to its entry's latest saved version, or refresh an evidence item's
    words from the library. True when something changed. Never done without being asked."""
    _assert_can_edit(item.showcase, actor, expected_lock)
    changed = False
    if item.kind == ItemKind.ENTRY_VERSION and item.entry_version is not None:
        entry = item.entry_version.entry
        latest = _version(entry.id, entry.latest_version_number)
        if latest is not None and latest.id != item.entry_version_id:
            _refuse_private(latest)
            item.entry_version, changed = latest, True
    elif item.kind == ItemKind.EVIDENCE and item.evidence is not None:
        words = (item.evidence.title[:MAX_TITLE], item.evidence.description or "")
        if words != (item.pinned_title, item.pinned_description):
            item.pinned_title, item.pinned_description = words
            changed = True
    if not changed:
        raise DomainError("This item already shows the latest version.")
    _touch(item.showcase)
    return changed


def has_newer_version(item: ShowcaseItem) -> bool:
    """The pinned entry version is no longer its entry's latest, or the evidence was reworded."""
    if item.kind == ItemKind.ENTRY_VERSION and item.entry_version is not None:
        return item.entry_version.number < item.entry_version.entry.latest_version_number
    if item.kind == ItemKind.EVIDENCE and item.evidence is not None:
        return (item.evidence.title[:MAX_TITLE], item.evidence.description or "") != (
            item.pinned_title, item.pinned_description)
    return False


def _append(showcase: Showcase, item: ShowcaseItem) -> ShowcaseItem:
    if len(showcase.items) >= MAX_ITEMS:
        raise DomainError(f"A showcase holds at most {MAX_ITEMS} items.")
    last = db.session.scalar(select(func.max(ShowcaseItem.position)).where(
        ShowcaseItem.showcase_id == showcase.id)) or 0
    item.position = last + 1
    showcase.items.append(item)
    _touch(showcase)
    return item


def _refuse_private(version: EntryVersion) -> None:
    # "Only me" means nobody else, ever: such a version never goes on a page others can read.
    if version_privacy(version) == PrivacyTier.PRIVATE:
        raise DomainError(f"Version {version.number} of this entry was saved as “Only me”, so "
                          "it cannot go in a showcase. Save it for a wider audience first.",
                          "entry")


def _version(entry_id: int, number: int) -> EntryVersion | None:
    return db.session.scalar(select(EntryVersion).where(
        EntryVersion.entry_id == entry_id, EntryVersion.number == number))


def _note(note: str) -> str:
    note = (note or "").strip().replace("\r\n", "\n")
    if len(note) > MAX_NOTE:
        raise DomainError(f"A note must be {MAX_NOTE:,} characters or fewer.", "note")
    return note


# --- guards and the version column ---------------------------------------------------------

def _assert_can_edit(showcase: Showcase, actor, expected_lock: int | None) -> None:
    if actor is None or showcase.owner_id != actor.id:
        raise DomainError("Only the owner can change a showcase.")
    if showcase.is_locked:
        raise ReadOnlyError(LOCKED_MESSAGE)
    assert_cohort_writable(showcase.cohort)
    if expected_lock is not None and expected_lock != showcase.lock_version:
        raise ConflictError(CONFLICT_MESSAGE)


def _touch(showcase: Showcase) -> None:
    """Write the showcase row, so its version moves with every change to it or its items."""
    showcase.updated_at = utcnow()
    db.session.flush()


# --- the submitted copy --------------------------------------------------------------------

@settled_by_the_database
def submit_copy(showcase: Showcase, *, actor) -> Showcase:
    """A new locked copy of the showcase and all its items, for a review panel to read.

    The copy points back at the original (copied_from_id), is shared with nobody by its own
    choices (the panel admits its readers through permissions.extra_readers) and refuses every
    edit. The caller commits.
    """
    if actor is None or showcase.owner_id != actor.id:
        raise DomainError("Only the owner can submit a showcase.")
    if not showcase.items:
        raise DomainError("Add something to the showcase before submitting it.")
    copy = Showcase(owner_id=showcase.owner_id, cohort_id=showcase.cohort_id,
                    title=showcase.title, introduction=showcase.introduction,
                    introduction_html=showcase.introduction_html,
                    shared_with_developers=False, shared_with_peers=False,
                    locked_at=utcnow(), copied_from_id=showcase.id)
    for item in showcase.items:
        copy.items.append(ShowcaseItem(
            position=item.position, kind=item.kind, heading=item.heading, note=item.note,
            entry_version_id=item.entry_version_id, evidence_id=item.evidence_id,
            signoff_id=item.signoff_id, pinned_title=item.pinned_title,
            pinned_description=item.pinned_description))
    db.session.add(copy)
    db.session.flush()
    record("showcase.submitted", actor=actor, target=copy, cohort_id=copy.cohort_id,
           original=showcase.id, items=len(copy.items))
    return copy
