"""Word-level differences between two saved versions, as plain (op, text) pieces.

Templates render the pieces in a loop with autoescaping, wrapping inserts in <ins> and
deletions in <del>, so user text is never marked safe.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .models import PRIVACY_TIERS, SESSION_TYPES
from .reflection_models import PROMPTS, model_for, model_name

# Words, runs of spaces and single punctuation marks, so "slow." -> "slow, then." shows only ", then".
_WORD = re.compile(r"\w+|\s+|[^\w\s]")
# Beyond this many token comparisons a rewritten block is shown as removed then added,
# so a diff of two very long, very different sections stays fast.
_MAX_WORK = 4_000_000


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Pieces ("equal" | "insert" | "delete", text) turning `old` into `new`."""
    old_lines = (old or "").splitlines(keepends=True)
    new_lines = (new or "").splitlines(keepends=True)
    pieces: list[tuple[str, str]] = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            pieces.append(("equal", before))
        elif tag == "delete":
            pieces.append(("delete", before))
        elif tag == "insert":
            pieces.append(("insert", after))
        else:
            pieces.extend(_words(before, after))
    return _merge(pieces)


def _words(old: str, new: str) -> list[tuple[str, str]]:
    old_words, new_words = _WORD.findall(old), _WORD.findall(new)
    # A small edit in a long paragraph: match the unchanged start and end cheaply first.
    start = 0
    while start < min(len(old_words), len(new_words)) and old_words[start] == new_words[start]:
        start += 1
    end = 0
    while (end < min(len(old_words), len(new_words)) - start
           and old_words[-1 - end] == new_words[-1 - end]):
        end += 1
    head, tail = "".join(old_words[:start]), "".join(old_words[len(old_words) - end:])
    old_words = old_words[start:len(old_words) - end]
    new_words = new_words[start:len(new_words) - end]
    return [("equal", head), *_middle(old_words, new_words), ("equal", tail)]


def _middle(old_words: list[str], new_words: list[str]) -> list[tuple[str, str]]:
    if len(old_words) * len(new_words) > _MAX_WORK:
        return [("delete", "".join(old_words)), ("insert", "".join(new_words))]
    pieces = []
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "delete", "replace") and i2 > i1:
            pieces.append(("equal" if tag == "equal" else "delete", "".join(old_words[i1:i2])))
        if tag in ("insert", "replace") and j2 > j1:
            pieces.append(("insert", "".join(new_words[j1:j2])))
    return pieces


def _merge(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for op, text in pieces:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def listed_evidence(content: dict) -> list[int]:
    """The evidence ids a version's content lists, once each, in its order."""
    ids = (int(item) for item in (content or {}).get("evidence_ids") or ()
           if str(item).isdigit())
    return list(dict.fromkeys(ids))


def evidence_moves(old: dict, new: dict) -> tuple[list[int], list[int]]:
    """The evidence ids `new` adds to `old`, and those it removes."""
    before, after = listed_evidence(old), listed_evidence(new)
    had, has = set(before), set(after)
    return [item for item in after if item not in had], [item for item in before if item not in has]


def compare_contents(old: dict, new: dict, competency_labels: dict[int, str]) -> dict:
    """What changed between two version contents: details, then each section's words."""
    return {"details": _detail_changes(old, new, competency_labels),
            "sections": _section_changes(old, new)}


def _detail_changes(old: dict, new: dict, labels: dict[int, str]) -> list[dict]:
    def claims(content):
        return ", ".join(labels.get(item, "A competency no longer in the framework")
                         for item in content.get("competency_ids") or []) or "None"

    readers = [
        ("Title", lambda c: c.get("title") or ""),
        ("Date of the practice", lambda c: c.get("practice_date") or "Not given"),
        ("Type of session", lambda c: SESSION_TYPES.get(c.get("session_type"), "Not given")),
        ("Event group", lambda c: c.get("event_group") or "Not specific"),
        ("The athletes", lambda c: c.get("athletes") or ""),
        ("Reflection model", lambda c: model_name(c.get("reflection_model"))),
        ("Who can see it", lambda c: PRIVACY_TIERS.get(c.get("privacy"), "Only me")),
        ("Competencies claimed", claims),
        ("Tags", lambda c: ", ".join(c.get("tags") or []) or "None"),
    ]
    changes = []
    for label, read in readers:
        before, after = read(old), read(new)
        if before != after:
            changes.append({"label": label, "pieces": word_diff(before, after)})
    return changes


def _section_changes(old: dict, new: dict) -> list[dict]:
    old_sections, new_sections = old.get("sections") or {}, new.get("sections") or {}
    order = list(model_for(new.get("reflection_model")).keys)
    order += [key for key in PROMPTS if key not in order]
    result = []
    for key in order:
        before, after = old_sections.get(key, ""), new_sections.get(key, "")
        if not before and not after:
            continue
        _, prompt = PROMPTS[key]
        result.append({"key": key, "title": prompt.title, "changed": before != after,
                       "pieces": word_diff(before, after)})
    return result
