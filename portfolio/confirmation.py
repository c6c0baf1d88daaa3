"""One confirmation page for actions that are hard to undo: it says what will happen, and its
button sends the same POST the action always took, so it works without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import render_template


@dataclass
class Confirmation:
    title: str  # a question: "Close 2026-2027?"
    consequences: list[str]  # what will happen, one plain sentence each
    action: str  # where the button posts
    button: str  # says the action: "Close 2026-2027"
    cancel_url: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # posted along with the button
    warning: bool = True  # a red button for what cannot be taken back
    cancel_label: str = "Cancel"


def confirmation_page(confirmation: Confirmation, status: int = 200):
    return render_template("confirm.html", confirm=confirmation), status
