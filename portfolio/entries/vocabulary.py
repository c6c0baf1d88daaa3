"""Limits and fixed choices for entries, shared by forms, services and templates."""

from __future__ import annotations

import re

# Each reflection section may hold this many characters; the form says so before Flask's
# request-size limit could ever refuse (and lose) the text.
SECTION_MAX_CHARS = 100_000
PHILOSOPHY_MAX_CHARS = 100_000
TITLE_MAX_CHARS = 200
ATHLETES_MAX_CHARS = 2_000
TAG_MAX_CHARS = 40
MAX_TAGS = 20
GOAL_TEXT_MAX_CHARS = 10_000

# Event groups in athletics coaching (plus the cases that fit none).
EVENT_GROUPS = (
    "Sprints and hurdles",
    "Endurance",
    "Jumps",
    "Throws",
    "Combined events",
    "Race walking",
    "Wheelchair racing and seated para",
    "Ambulant para",
    "Several event groups",
)

# Who sees what, narrowest first: each tier's audience contains the previous one's.
PRIVACY_ORDER = ("private", "developers", "peers", "cohort")
PRIVACY_HINTS = {
    "private": "Nobody else can see it: not your peers, coach developers, programme leads or "
               "admins. It cannot be submitted for review and is left out of other people's "
               "exports.",
    "peers": "Candidates in your peer group, your cohort's coach developers and programme "
             "leads.",
    "developers": "Your cohort's coach developers and programme leads only.",
    "cohort": "Everyone in your cohort, its coach developers and programme leads.",
}


def is_wider(new: str, old: str) -> bool:
    """True when tier `new` shows the entry to more people than tier `old`."""
    return PRIVACY_ORDER.index(new) > PRIVACY_ORDER.index(old)


_TAG_JUNK = re.compile(r"[^\w\s&+'-]", re.UNICODE)


def normalise_tags(raw: str | list[str] | None) -> list[str]:
    """Split comma-separated tags; trim, collapse spaces, drop '#', de-duplicate ignoring case.

    Tags keep the author's case ("U17"); "u17" is the same tag, and the first spelling wins.
    """
    if not raw:
        return []
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    tags: list[str] = []
    seen: set[str] = set()
    for part in parts:
        tag = " ".join(_TAG_JUNK.sub(" ", part.replace("#", " ")).split())
        tag = tag[:TAG_MAX_CHARS].strip()
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def normalise_text(value: str | None) -> str:
    """Browser line endings to \\n, NUL removed; nothing else about the author's text changes."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
