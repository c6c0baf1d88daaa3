"""The rules for reflective entries: working copy, saved versions, restore, review status.

Services take the acting user explicitly, raise DomainError and only flush.
Other features call `latest_version(entry)` and `mark_review_status(entry, status, actor)`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from typing import TypeVar

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..audit.services import record
from ..database import built_once, lock_for_decision, utcnow
from ..errors import ConflictError, DomainError, ReadOnlyError
from ..extensions import db
from ..frameworks.models import Competency
from ..programmes.access import assert_candidate_writable
from ..reviews.models import ReviewRequest, Signoff
from .authoring import author_membership, entry_is_writable, writing_membership
from .models import (
    REVIEW_STATUSES,
    Entry,
    EntryStatus,
    EntryVersion,
    PrivacyTier,
    ReviewStatus,
)
from .reflection_models import ALL_PROMPT_KEYS, DEFAULT_MODEL, MODELS, model_for
from .sharing import shared_with_peers, tell_peer_group
from .versioning import content_hash
from .working_copy import (  # noqa: F401 - EntryDraft, UNCHANGED, working_content are public
    UNCHANGED,
    EntryDraft,
    apply_changes,
    evidence_ids,
    working_content,
    write_claims,
)

CONFLICT_MESSAGE = ("This entry was changed somewhere else (another window or device) after "
                    "you opened it, so your changes were not saved over it.")

_Service = TypeVar("_Service", bound=Callable)


def settled_by_the_database(service: _Service) -> _Service:
    """Turn a lost race the database settled into ConflictError, wherever the flush happens.

    Another tab may save between our read and our write: the lock_version check on UPDATE
    matches no row (StaleDataError) or a unique index refuses a duplicate (IntegrityError).
    Either can surface in any autoflush (a lazy load, a query), not only at our own flush.
    """
    @wraps(service)
    def guarded(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except (StaleDataError, IntegrityError) as error:
            raise ConflictError(CONFLICT_MESSAGE) from error
    return guarded  # type: ignore[return-value]


# --- reading -----------------------------------------------------------------------------

def latest_version(entry: Entry) -> EntryVersion | None:
    """The entry's latest saved version (what readers other than the author see)."""
    if not entry.latest_version_number:
        return None
    return version_by_number(entry, entry.latest_version_number)


def version_by_number(entry: Entry, number: int) -> EntryVersion | None:
    return db.session.scalar(_version_by_number_statement(),
                             {"entry_id": entry.id, "number": number})


@built_once
def _version_by_number_statement():
    return select(EntryVersion).where(EntryVersion.entry_id == bindparam("entry_id"),
                                      EntryVersion.number == bindparam("number"))


def has_unsaved_changes(entry: Entry, latest: EntryVersion | None) -> bool:
    """True when the working copy differs from the latest version in anything it recorded.

    Only the keys the version holds are compared, so versions saved before a field existed
    do not make every entry look changed.
    """
    if latest is None:
        return True
    working, saved = working_content(entry), latest.content or {}
    return any(working.get(key) != value for key, value in saved.items())


# --- writing the working copy ------------------------------------------------------------

@settled_by_the_database
def create_entry(actor, draft: EntryDraft, *, lenient: bool = False) -> tuple[Entry, list]:
    """Start a new entry (a draft only its author sees) in the actor's current cohort."""
    membership = writing_membership(actor)
    if membership is None:
        raise DomainError("Only candidates in a cohort can write portfolio entries.")
    assert_candidate_writable(membership)
    model = draft.reflection_model if draft.reflection_model in MODELS else DEFAULT_MODEL
    entry = Entry(owner_id=actor.id, cohort_id=membership.cohort_id, reflection_model=model,
                  privacy=PrivacyTier.PRIVATE, pending_privacy="", sections={},
                  status=EntryStatus.DRAFT,
                  title="", athletes="", event_group="", session_type="training")
    db.session.add(entry)
    db.session.flush()
    problems = apply_changes(entry, draft, lenient=lenient)
    _flush()
    return entry, problems


@settled_by_the_database
def update_working_copy(entry: Entry, draft: EntryDraft, actor, *,
                        expected_lock: int | None = None, lenient: bool = False) -> list:
    """Write the author's changes into the working copy (what autosave and Save draft do).

    Strict (default): the first invalid field raises DomainError. Lenient (autosave): invalid
    fields are left as they were and their errors returned, so the rest of the text is kept.
    """
    _assert_can_write(entry, actor)
    if expected_lock is not None and expected_lock != entry.lock_version:
        return _repeat_of_current(entry, draft, lenient)
    problems = apply_changes(entry, draft, lenient=lenient)
    _flush()
    return problems


def _repeat_of_current(entry: Entry, draft: EntryDraft, lenient: bool) -> list:
    """A save based on an older lock is no conflict when it would change nothing.

    The same editor's save can arrive after the page that sent it was reloaded (a reload
    races its own autosave), or be sent twice; overwriting nothing loses nothing, so it is
    accepted without a write. Anything that differs from what another save left is a conflict.
    """
    before = content_hash(working_content(entry))
    with db.session.no_autoflush:
        problems = apply_changes(entry, draft, lenient=lenient)
        same = content_hash(working_content(entry)) == before
    if not same:
        raise ConflictError(CONFLICT_MESSAGE)
    db.session.expire(entry)  # nothing changed: leave the row (and its lock) as it was
    return problems


@settled_by_the_database
def save_entry(entry: Entry, draft: EntryDraft, actor, *,
               expected_lock: int | None = None) -> EntryVersion | None:
    """Apply the author's changes and save them as a new immutable version."""
    update_working_copy(entry, draft, actor, expected_lock=expected_lock)
    return save_version(entry, actor)


@settled_by_the_database
def save_version(entry: Entry, actor, note: str = "", *,
                 saved_at: datetime | None = None) -> EntryVersion | None:
    """Snapshot the working copy as the next version; None when nothing changed since the last.

    `saved_at` backdates the version (demo data and imports only); it defaults to now.
    """
    _assert_can_write(entry, actor)
    _require_complete(entry)
    latest = latest_version(entry)
    if latest is not None and not has_unsaved_changes(entry, latest) and not entry.pending_privacy:
        return None
    return _snapshot(entry, actor, note, saved_at=saved_at)


@settled_by_the_database
def restore_version(entry: Entry, number: int, actor, *,
                    expected_lock: int | None = None) -> EntryVersion:
    """Bring back an earlier version's text as a new version (the history keeps everything)."""
    _assert_can_write(entry, actor)
    check_lock(entry, expected_lock)
    old = version_by_number(entry, number)
    if old is None:
        raise DomainError("That version does not exist.")
    if number == entry.latest_version_number and not has_unsaved_changes(entry, old):
        raise DomainError(f"Version {number} is already the latest version.")
    if has_unsaved_changes(entry, latest_version(entry)):
        # Unsaved draft text is kept as a version of its own before it is replaced.
        _snapshot(entry, actor, f"Draft kept before restoring version {number}")
    _copy_content(entry, old.content)
    version = _snapshot(entry, actor, f"Restored from version {number}")
    record("entry.version_restored", actor=actor, target=entry, cohort_id=entry.cohort_id,
           restored=number, new_version=version.number)
    return version


@settled_by_the_database
def delete_entry(entry: Entry, actor) -> None:
    """Delete an entry that was never part of a review (evidence stays in the library)."""
    _assert_can_write(entry, actor)
    # Locked before the check: a review request sent from another tab at this moment either
    # committed already (and is seen) or waits for the deletion (and finds no entry). Without
    # it the deletion took the new request with it (its rows go with the entry).
    if lock_for_decision(entry, deleting=True) is None:
        return
    reviewed = db.session.scalar(select(ReviewRequest.id).where(
        ReviewRequest.entry_id == entry.id).limit(1)) or db.session.scalar(
        select(Signoff.id).where(Signoff.entry_id == entry.id).limit(1))
    if reviewed or entry.review_status != ReviewStatus.NONE:
        raise DomainError("This entry has been submitted for review, so it is part of your "
                          "record and cannot be deleted.")
    record("entry.deleted", actor=actor, target=entry, cohort_id=entry.cohort_id,
           versions=entry.latest_version_number)
    db.session.delete(entry)
    db.session.flush()


def mark_review_status(entry: Entry, status: ReviewStatus, actor) -> None:
    """Record the review status the reviews feature decided (none/submitted/returned/signed_off).

    Written without bumping the entry's lock, so a review never makes the author's open
    editor look out of date.
    """
    if status not in REVIEW_STATUSES:
        raise DomainError(f"Unknown review status {status!r}.")
    if status == ReviewStatus.SUBMITTED and entry.privacy == PrivacyTier.PRIVATE:
        raise DomainError("Entries marked “Only me” cannot be submitted for review.")
    db.session.execute(update(Entry).where(Entry.id == entry.id).values(review_status=status))


def check_lock(entry: Entry, expected_lock: int | None) -> None:
    if expected_lock is not None and expected_lock != entry.lock_version:
        raise ConflictError(CONFLICT_MESSAGE)


# --- internals ---------------------------------------------------------------------------

def _assert_can_write(entry: Entry, actor) -> None:
    if actor is None or entry.owner_id != actor.id:
        raise DomainError("Only the author can change an entry.")
    if not entry_is_writable(entry):
        membership = author_membership(entry)
        if entry.cohort is not None and entry.cohort.is_read_only:
            raise ReadOnlyError(f"This entry belongs to the {entry.cohort.year.label} programme "
                                "year, which is archived, so it can no longer be changed.")
        assert_candidate_writable(membership)
        raise ReadOnlyError("This entry can no longer be changed.")


@settled_by_the_database
def _flush() -> None:
    db.session.flush()


def _require_complete(entry: Entry) -> None:
    if not (entry.title or "").strip():
        raise DomainError("Enter a title before saving a version.", "title")
    if entry.practice_date is None:
        raise DomainError("Enter the date of the practice before saving a version.",
                          "practice_date")
    model = model_for(entry.reflection_model)
    if not any((entry.sections or {}).get(key, "").strip() for key in entry.sections or {}):
        raise DomainError("Write something in at least one section before saving a version.",
                          f"section_{model.prompts[0].key}")


def _snapshot(entry: Entry, actor, note: str, saved_at: datetime | None = None) -> EntryVersion:
    peers_had_it = shared_with_peers(entry)
    if entry.pending_privacy:
        entry.privacy, entry.pending_privacy = entry.pending_privacy, ""
    db.session.flush()  # claims and tags in the database before they are read back
    content = working_content(entry, privacy=entry.privacy)
    number = entry.latest_version_number + 1
    version = EntryVersion(entry_id=entry.id, cohort_id=entry.cohort_id, number=number,
                           title=content["title"],
                           content=content, content_hash=content_hash(content),
                           created_by_id=actor.id, note=note[:200],
                           created_at=saved_at or utcnow())
    db.session.add(version)
    entry.latest_version_number = number
    entry.status = EntryStatus.PUBLISHED
    entry.working_hash = version.content_hash
    _flush()
    if not peers_had_it and shared_with_peers(entry):
        tell_peer_group(entry, actor)
    return version


def _copy_content(entry: Entry, content: dict) -> None:
    """Put a saved version's text back into the working copy (privacy and evidence stay)."""
    saved_date = content.get("practice_date")
    draft = EntryDraft(
        title=content.get("title", ""),
        practice_date=date.fromisoformat(saved_date) if saved_date else None,
        session_type=content.get("session_type") or entry.session_type,
        event_group=content.get("event_group", ""),
        athletes=content.get("athletes", ""),
        reflection_model=content.get("reflection_model") or entry.reflection_model,
        tags=content.get("tags", []),
    )
    apply_changes(entry, draft, lenient=True)
    entry.sections = {key: text for key, text in (content.get("sections") or {}).items()
                      if key in ALL_PROMPT_KEYS}
    framework_id = entry.cohort.framework_id if entry.cohort is not None else None
    still_there = set(db.session.scalars(select(Competency.id).where(
        Competency.id.in_(content.get("competency_ids") or []),
        Competency.framework_id == framework_id)))
    write_claims(entry, still_there)
