"""The fields of an entry's working copy: the changes an author may make and the rules for each.

Services apply an EntryDraft through `apply_changes`; each given field is validated, then
written. Nothing here flushes or commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam, select

from ..database import built_once, utcnow
from ..errors import DomainError
from ..evidence.models import EntryEvidence
from ..extensions import db
from ..frameworks.models import Competency
from .models import (
    PRIVACY_TIERS,
    SESSION_TYPES,
    Entry,
    EntryCompetency,
    EntryTag,
    PrivacyTier,
    ReviewStatus,
    tag_key,
)
from .reflection_models import ALL_PROMPT_KEYS, MODELS
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


def evidence_ids(entry: Entry) -> list[int]:
    return sorted(db.session.scalars(_evidence_ids_statement(), {"entry_id": entry.id}))


@built_once
def _evidence_ids_statement():
    return select(EntryEvidence.evidence_id).where(
        EntryEvidence.entry_id == bindparam("entry_id"))


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


def apply_changes(entry: Entry, draft: EntryDraft, *, lenient: bool) -> list[DomainError]:
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
    if value == PrivacyTier.PRIVATE and entry.review_status == ReviewStatus.SUBMITTED:
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


def write_claims(entry, wanted):
    for claim in list(entry.claims):
        if claim.competency_id not in wanted:
            entry.claims.remove(claim)
    have = {claim.competency_id for claim in entry.claims}
    for competency_id in sorted(wanted - have):
        entry.claims.append(EntryCompetency(competency_id=competency_id))


def _write_tags(entry, wanted):
    # A tag that only changed case ("u17" -> "U17") is renamed in place, not replaced.
    spelling = {tag_key(name): name for name in wanted}
    for tag in list(entry.tags):
        if tag.name_key not in spelling:
            entry.tags.remove(tag)
        elif tag.name != spelling[tag.name_key]:
            tag.name = spelling[tag.name_key]
    have = {tag.name_key for tag in entry.tags}
    for key, name in spelling.items():
        if key not in have:
            entry.tags.append(EntryTag(name=name))


_WRITERS = {
    "sections": _write_sections,
    "privacy": _write_privacy,
    "competency_ids": write_claims,
    "tags": _write_tags,
}
