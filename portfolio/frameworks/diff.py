"""What changed between two versions of a framework, matching competencies by code."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Competency, Framework

COMPARED = (
    ("title", "Title"),
    ("description", "Description"),
    ("evidence_guidance", "Evidence guidance"),
    ("developer_signoffs_required", "Coach developer sign-offs"),
    ("peer_signoffs_required", "Peer sign-offs"),
)


@dataclass
class Change:
    before: Competency
    after: Competency
    fields: list[tuple[str, object, object]]  # (label, before, after)


@dataclass
class FrameworkDiff:
    old: Framework
    new: Framework
    added: list[Competency] = field(default_factory=list)
    removed: list[Competency] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _by_code(framework: Framework) -> dict[str, Competency]:
    return {item.code: item for area in framework.areas for item in area.competencies}


def compare(old: Framework, new: Framework) -> FrameworkDiff:
    """Competencies added, removed and changed going from `old` to `new`."""
    before, after = _by_code(old), _by_code(new)
    diff = FrameworkDiff(old, new)
    diff.added = [item for code, item in after.items() if code not in before]
    diff.removed = [item for code, item in before.items() if code not in after]
    for code, item in after.items():
        if code not in before:
            continue
        previous = before[code]
        fields = [(label, getattr(previous, key), getattr(item, key))
                  for key, label in COMPARED if getattr(previous, key) != getattr(item, key)]
        if previous.area.title != item.area.title:
            fields.append(("Area", previous.area.title, item.area.title))
        if fields:
            diff.changed.append(Change(previous, item, fields))
        else:
            diff.unchanged += 1
    return diff
