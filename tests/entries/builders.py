"""Builders for entries tests: form posts as a browser sends them, philosophy, goals."""

from __future__ import annotations

from datetime import date

import portfolio.text
from portfolio.entries.models import Goal, PhilosophyStatement, PhilosophyVersion
from portfolio.entries.rescue import owner_hint
from portfolio.entries.versioning import content_hash
from portfolio.extensions import db

SECTIONS = {"what": "We worked on block starts.", "so_what": "Reaction was slow.",
            "now_what": "Add reaction games next week."}


def form_fields(entry=None, *, owner=None, action="save", sections=None, owner_token=None,
                **fields) -> dict:
    """The fields the entry form posts (as a browser would), with overrides."""
    owner_id = owner.id if owner is not None else entry.owner_id
    hint = owner_token or owner_hint(owner_id)
    data = {
        "title": entry.title if entry else "Block starts with the U17 group",
        "practice_date": (entry.practice_date if entry and entry.practice_date
                          else date(2026, 10, 1)).isoformat(),
        "session_type": entry.session_type if entry else "training",
        "event_group": entry.event_group if entry else "Sprints and hurdles",
        "athletes": entry.athletes if entry else "Four U17 sprinters",
        "reflection_model": entry.reflection_model if entry else "what_so_what",
        "privacy": entry.chosen_privacy if entry else "peers",
        "tags": ", ".join(tag.name for tag in entry.tags) if entry else "",
        "lock_version": str(entry.lock_version) if entry else "",
        "owner": hint,
        "claims_shown": "1",
        "action": action,
    }
    current = dict(entry.sections) if entry else dict(SECTIONS)
    current.update(sections or {})
    for key, text in current.items():
        data[f"section_{key}"] = text
    data.update(fields)
    return data


def make_statement(owner, body="Athletes first.", privacy="developers", versions=1):
    statement = PhilosophyStatement(owner_id=owner.id, body=body, privacy=privacy)
    db.session.add(statement)
    db.session.flush()
    for number in range(1, versions + 1):
        db.session.add(PhilosophyVersion(statement_id=statement.id, number=number, body=body,
                                         content_hash=content_hash({"body": body})))
    statement.latest_version_number = versions
    db.session.flush()
    return statement


def make_goal(owner, title="Plan an indoor block", privacy="developers", status="in_progress"):
    goal = Goal(owner_id=owner.id, title=title, privacy=privacy, status=status,
                target_date=date(2027, 1, 31))
    db.session.add(goal)
    db.session.flush()
    return goal


def spy_on_markdown(monkeypatch) -> list[str]:
    """Every Markdown source the one renderer (`portfolio.text`) formats while the test runs."""
    seen: list[str] = []
    original = portfolio.text.format_markdown

    def spy(source, *args, **kwargs):
        seen.append(source)
        return original(source, *args, **kwargs)

    monkeypatch.setattr(portfolio.text, "format_markdown", spy)
    return seen
