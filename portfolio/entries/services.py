"""The rules for reflective entries: working copy, saved versions, restore, review status.

Services take the acting user explicitly, raise DomainError and only flush.
Other features call `latest_version(entry)` and `mark_review_status(entry, status, actor)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..audit.services import record
from ..database import utcnow
from ..errors import ConflictError, DomainError, ReadOnlyError
from ..evidence.models import EntryEvidence
from ..extensions import db
from ..frameworks.models import Competency
from ..programmes.access import assert_candidate_writable
from .authoring import author_membership, entry_is_writable, writing_membership
from .models import (
    PRIVACY_TIERS,
    REVIEW_STATUSES,
    SESSION_TYPES,
    Entry,
    EntryCompetency,
    EntryTag,
    EntryVersion,
)
from .reflection_models import ALL_PROMPT_KEYS, DEFAULT_MODEL, MODELS, model_for
from .versioning import content_hash
from .vocabulary import (
    ATHLETES_MAX_CHARS,
    EVENT_GROUPS,
    MAX_TAGS,
    SECTION_MAX_CHARS,
    TITLE_MAX_CHARS,
    is_wider,
    normalise_tags,
    normalise_text,
)

CONFLICT_MESSAGE = ("This entry was changed somewhere else (another window or device) after "
                    "you opened it, so your changes were not saved over it.")


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged()


@dataclass
class EntryDraft:
    """Fields of a working copy to change; anything left UNCHANGED stays as it is."""

    title: object = UNCHANGED
    practice_date: object = UNCHANGED
    session_type: object = UNCHANGED
    event_group: object = UNCHANGED
    athletes: object = UNCHANGED
    reflection_model: object = UNCHANGED
    sections: object = UNCHANGED  # {prompt key: Markdown}; "" removes that section
    privacy: object = UNCHANGED
    competency_ids: object = UNCHANGED
    tags: object = UNCHANGED

    def given(self) -> dict:
        return {name: value for name, value in vars(self).items() if value is not UNCHANGED}


# --- reading -----------------------------------------------------------------------------

def latest_version(entry: Entry) -> EntryVersion | None:
    """The entry's latest saved version (what readers other than the author see)."""
    if not entry.latest_version_number:
        return None
    return version_by_number(entry, entry.latest_version_number)


def version_by_number(entry: Entry, number: int) -> EntryVersion | None:
    return db.session.scalar(select(EntryVersion).where(
        EntryVersion.entry_id == entry.id, EntryVersion.number == number))


def evidence_ids(entry: Entry) -> list[int]:
    return sorted(db.session.scalars(
        select(EntryEvidence.evidence_id).where(EntryEvidence.entry_id == entry.id)))


def working_content(entry: Entry, privacy: str | None = None) -> dict:
    """The working copy as a version's content document."""
    return {
        "title": entry.title or "",
        "practice_date": entry.practice_date.isoformat() if entry.practice_date else None,
        "session_type": entry.session_type,
        "event_group": entry.event_group or "",
        "athletes": entry.athletes or "",
        "reflection_model": entry.reflection_model,
        "sections": {key: text for key, text in (entry.sections or {}).items() if text},
        "privacy": privacy or entry.chosen_privacy,
        "competency_ids": sorted(claim.competency_id for claim in entry.claims),
        "evidence_ids": evidence_ids(entry),
        "tags": sorted(tag.name for tag in entry.tags),
    }


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

def create_entry(actor, draft: EntryDraft, *, lenient: bool = False) -> tuple[Entry, list]:
    """Start a new entry (a draft only its author sees) in the actor's current cohort."""
    membership = writing_membership(actor)
    if membership is None:
        raise DomainError("Only candidates in a cohort can write portfolio entries.")
    assert_candidate_writable(membership)
    model = draft.reflection_model if draft.reflection_model in MODELS else DEFAULT_MODEL
    entry = Entry(owner_id=actor.id, cohort_id=membership.cohort_id, reflection_model=model,
                  privacy="private", pending_privacy="", sections={}, status="draft",
                  title="", athletes="", event_group="", session_type="training")
    db.session.add(entry)
    db.session.flush()
    problems = _apply(entry, draft, lenient=lenient)
    _flush()
    return entry, problems


def update_working_copy(entry: Entry, draft: EntryDraft, actor, *,
                        expected_lock: int | None = None, lenient: bool = False) -> list:
    """Write the author's changes into the working copy (what autosave and Save draft do).

    Strict (default): the first invalid field raises DomainError. Lenient (autosave): invalid
    fields are left as they were and their errors returned, so the rest of the text is kept.
    """
    _assert_can_write(entry, actor)
    check_lock(entry, expected_lock)
    problems = _apply(entry, draft, lenient=lenient)
    _flush()
    return problems


def save_entry(entry: Entry, draft: EntryDraft, actor, *,
               expected_lock: int | None = None) -> EntryVersion | None:
    """Apply the author's changes and save them as a new immutable version."""
    update_working_copy(entry, draft, actor, expected_lock=expected_lock)
    return save_version(entry, actor)


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


def delete_entry(entry: Entry, actor) -> None:
    """Delete an entry that was never part of a review (evidence stays in the library)."""
    from ..reviews.models import ReviewRequest, Signoff

    _assert_can_write(entry, actor)
    reviewed = db.session.scalar(select(ReviewRequest.id).where(
        ReviewRequest.entry_id == entry.id).limit(1)) or db.session.scalar(
        select(Signoff.id).where(Signoff.entry_id == entry.id).limit(1))
    if reviewed or entry.review_status != "none":
        raise DomainError("This entry has been submitted for review, so it is part of your "
                          "record and cannot be deleted.")
    record("entry.deleted", actor=actor, target=entry, cohort_id=entry.cohort_id,
           versions=entry.latest_version_number)
    db.session.delete(entry)
    db.session.flush()


def mark_review_status(entry: Entry, status: str, actor) -> None:
    """Record the review status the reviews feature decided (none/submitted/returned/signed_off).

    Written without bumping the entry's lock, so a review never makes the author's open
    editor look out of date.
    """
    if status not in REVIEW_STATUSES:
        raise DomainError(f"Unknown review status {status!r}.")
    if status == "submitted" and entry.privacy == "private":
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


def _flush() -> None:
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as error:
        raise ConflictError(CONFLICT_MESSAGE) from error


def _apply(entry: Entry, draft: EntryDraft, *, lenient: bool) -> list[DomainError]:
    """Validate then write each given field; in lenient mode skip (and report) bad ones."""
    problems = []
    for name, value in draft.given().items():
        try:
            cleaned = _VALIDATORS[name](entry, value)
        except DomainError as error:
            if not lenient:
                raise
            problems.append(error)
            continue
        _WRITERS.get(name, _write_plain(name))(entry, cleaned)
    entry.autosaved_at = utcnow()
    entry.working_hash = content_hash(working_content(entry))
    return problems


def _check_title(entry, value):
    value = " ".join(normalise_text(value).split())
    if len(value) > TITLE_MAX_CHARS:
        raise DomainError(f"The title must be {TITLE_MAX_CHARS} characters or fewer.", "title")
    return value


def _check_date(entry, value):
    if value is None:
        return None
    if not isinstance(value, date):
        raise DomainError("Enter a real date, for example 14 March 2026.", "practice_date")
    if value > utcnow().date() + timedelta(days=1):
        raise DomainError("The date of the practice cannot be in the future.", "practice_date")
    if value.year < 1950:
        raise DomainError("Enter a date after 1950.", "practice_date")
    return value


def _check_choice(field, allowed, message):
    def check(entry, value):
        if value not in allowed:
            raise DomainError(message, field)
        return value
    return check


def _check_athletes(entry, value):
    value = normalise_text(value).strip()
    if len(value) > ATHLETES_MAX_CHARS:
        raise DomainError(f"The description of the athletes must be {ATHLETES_MAX_CHARS:,} "
                          "characters or fewer.", "athletes")
    return value


def _check_sections(entry, value):
    cleaned = {}
    for key, text in dict(value).items():
        if key not in ALL_PROMPT_KEYS:
            continue
        text = normalise_text(text)
        if len(text) > SECTION_MAX_CHARS:
            raise DomainError(f"Each section can be up to {SECTION_MAX_CHARS:,} characters.",
                              f"section_{key}")
        cleaned[key] = text
    return cleaned


def _check_privacy(entry, value):
    if value not in PRIVACY_TIERS:
        raise DomainError("Choose who can see this entry.", "privacy")
    if value == "private" and entry.review_status == "submitted":
        raise DomainError("This entry is waiting for review, so it cannot be made “Only me”. "
                          "Withdraw the review request first.", "privacy")
    return value


def _check_competencies(entry, value):
    wanted = {int(item) for item in value}
    if not wanted:
        return set()
    framework_id = entry.cohort.framework_id if entry.cohort is not None else None
    known = set(db.session.scalars(select(Competency.id).where(
        Competency.id.in_(wanted), Competency.framework_id == framework_id)))
    if known != wanted:
        raise DomainError("Choose competencies from your cohort's framework.", "competencies")
    return wanted


def _check_tags(entry, value):
    tags = normalise_tags(value)
    if len(tags) > MAX_TAGS:
        raise DomainError(f"Use at most {MAX_TAGS} tags.", "tags")
    return tags


_VALIDATORS = {
    "title": _check_title,
    "practice_date": _check_date,
    "session_type": _check_choice("session_type", SESSION_TYPES, "Choose the type of session."),
    "event_group": _check_choice("event_group", ("", *EVENT_GROUPS), "Choose an event group."),
    "athletes": _check_athletes,
    "reflection_model": _check_choice("reflection_model", MODELS, "Choose a reflection model."),
    "sections": _check_sections,
    "privacy": _check_privacy,
    "competency_ids": _check_competencies,
    "tags": _check_tags,
}


def _write_plain(name):
    def write(entry, value):
        setattr(entry, name, value)
    return write


def _write_sections(entry, value):
    sections = dict(entry.sections or {})
    for key, text in value.items():
        if text.strip():
            sections[key] = text
        else:
            sections.pop(key, None)
    entry.sections = sections  # a new dict, so the JSON column is seen as changed


def _write_privacy(entry, value):
    if entry.is_published and is_wider(value, entry.privacy):
        entry.pending_privacy = value  # takes effect with the next saved version
    else:
        entry.privacy = value
        entry.pending_privacy = ""


def _write_claims(entry, wanted):
    for claim in list(entry.claims):
        if claim.competency_id not in wanted:
            entry.claims.remove(claim)
    have = {claim.competency_id for claim in entry.claims}
    for competency_id in sorted(wanted - have):
        entry.claims.append(EntryCompetency(competency_id=competency_id))


def _write_tags(entry, wanted):
    for tag in list(entry.tags):
        if tag.name not in wanted:
            entry.tags.remove(tag)
    have = {tag.name for tag in entry.tags}
    for name in wanted:
        if name not in have:
            entry.tags.append(EntryTag(name=name))


_WRITERS = {
    "sections": _write_sections,
    "privacy": _write_privacy,
    "competency_ids": _write_claims,
    "tags": _write_tags,
}


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
    if entry.pending_privacy:
        entry.privacy, entry.pending_privacy = entry.pending_privacy, ""
    db.session.flush()  # claims and tags in the database before they are read back
    content = working_content(entry, privacy=entry.privacy)
    number = entry.latest_version_number + 1
    version = EntryVersion(entry_id=entry.id, number=number, title=content["title"],
                           content=content, content_hash=content_hash(content),
                           created_by_id=actor.id, note=note[:200],
                           created_at=saved_at or utcnow())
    db.session.add(version)
    entry.latest_version_number = number
    entry.status = "published"
    entry.working_hash = version.content_hash
    _flush()
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
    _apply(entry, draft, lenient=True)
    entry.sections = {key: text for key, text in (content.get("sections") or {}).items()
                      if key in ALL_PROMPT_KEYS}
    framework_id = entry.cohort.framework_id if entry.cohort is not None else None
    still_there = set(db.session.scalars(select(Competency.id).where(
        Competency.id.in_(content.get("competency_ids") or []),
        Competency.framework_id == framework_id)))
    _write_claims(entry, still_there)
