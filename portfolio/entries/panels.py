"""Panels other features add to the entry page (evidence, comments, sign-offs) without the
entries feature importing them (`Registry.add_entry_panel`). A builder returns the context for
its template, or None to show nothing for this viewer."""

from __future__ import annotations

from ..registry import registry_of


def build_panels(entry, version, viewer) -> list[dict]:
    """Return [{"template": ..., "context": {...}}] for the panels this viewer should see."""
    panels = []
    for panel in registry_of().entry_panels:
        context = panel.builder(entry, version, viewer)
        if context is not None:
            panels.append({"name": panel.name, "template": panel.template, "context": context})
    return panels
