"""Panels other features add to the entry page (evidence, comments, sign-offs) without the
entries feature importing them. A builder returns the context for its template, or None to
show nothing for this viewer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class EntryPanel:
    name: str
    template: str
    builder: Callable  # (entry, version, viewer) -> dict | None
    order: int = 50


ENTRY_PANELS: list[EntryPanel] = []


def register_entry_panel(name: str, template: str, builder: Callable, order: int = 50) -> None:
    if all(panel.name != name for panel in ENTRY_PANELS):
        ENTRY_PANELS.append(EntryPanel(name, template, builder, order))
        ENTRY_PANELS.sort(key=lambda panel: panel.order)


def build_panels(entry, version, viewer) -> list[dict]:
    """Return [{"template": ..., "context": {...}}] for the panels this viewer should see."""
    panels = []
    for panel in ENTRY_PANELS:
        context = panel.builder(entry, version, viewer)
        if context is not None:
            panels.append({"name": panel.name, "template": panel.template, "context": context})
    return panels
