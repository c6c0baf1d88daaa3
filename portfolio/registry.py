"""What features plug into the shared pages, kept per app and filled by each feature's
`init_app` in the order the app factory declares (`FEATURES` in portfolio/__init__.py).

Five things are registered:
  navigation links   the header shows those the viewer may use, by `order`;
  viewer facts       per-person counts and flags the header needs (an unread count), read in the
                     same statement that loads the signed-in person (see auth/viewer.py);
  landing pages      /home sends each person to the first page whose rule admits them, by `order`;
  entry panels       evidence, comments and sign-offs under an entry, by `order`;
  reference seeders  rows every installation needs, filled after migrations and in tests.
Nothing is appended at import time, so two app instances never share or double a registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app

KEY = "portfolio.registry"


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    visible: Callable  # (user) -> bool
    order: int


@dataclass(frozen=True)
class LandingPage:
    endpoint: str
    admits: Callable  # (user) -> bool
    order: int


@dataclass(frozen=True)
class EntryPanel:
    name: str
    template: str
    builder: Callable  # (entry, version, viewer) -> dict | None
    order: int


@dataclass(frozen=True)
class ViewerFact:
    name: str
    # (user id column) -> scalar SQL expression. Built once per application into the
    # statement that loads the signed-in person, so it must not embed a value computed when it
    # is built (no utcnow(), no config read): only columns and constants.
    expression: Callable
    tables: tuple  # models whose writes make the fact stale for the rest of the request


@dataclass(frozen=True)
class Housekeeping:
    name: str
    task: Callable[[], int]  # does one round in the app context, returns how many items it handled


@dataclass
class Registry:
    nav_items: list[NavItem] = field(default_factory=list)
    landing_pages: list[LandingPage] = field(default_factory=list)
    entry_panels: list[EntryPanel] = field(default_factory=list)
    reference_seeders: list[Callable[[], None]] = field(default_factory=list)
    viewer_facts: list[ViewerFact] = field(default_factory=list)
    housekeeping: list[Housekeeping] = field(default_factory=list)

    def add_nav_item(self, label: str, endpoint: str, visible: Callable, *, order: int) -> None:
        self._add(self.nav_items, NavItem(label, endpoint, visible, order), endpoint=endpoint)

    def add_landing_page(self, endpoint: str, admits: Callable, *, order: int) -> None:
        self._add(self.landing_pages, LandingPage(endpoint, admits, order), endpoint=endpoint)

    def add_entry_panel(self, name: str, template: str, builder: Callable, *, order: int) -> None:
        self._add(self.entry_panels, EntryPanel(name, template, builder, order), name=name)

    def add_viewer_fact(self, name: str, expression: Callable, *, tables: tuple) -> None:
        if any(existing.name == name for existing in self.viewer_facts):
            raise ValueError(f"{name!r} is registered twice")
        self.viewer_facts.append(ViewerFact(name, expression, tables))

    def add_housekeeping(self, name: str, task: Callable[[], int]) -> None:
        """A periodic task the worker runs (every few minutes) besides its jobs, for example
        deleting what has expired. The worker commits after each task and carries on if one
        fails."""
        if any(existing.name == name for existing in self.housekeeping):
            raise ValueError(f"{name!r} is registered twice")
        self.housekeeping.append(Housekeeping(name, task))

    def add_reference_seeder(self, seeder: Callable[[], None]) -> None:
        if seeder not in self.reference_seeders:
            self.reference_seeders.append(seeder)

    @staticmethod
    def _add(items: list, item, **key) -> None:
        (attribute, value), = key.items()
        if any(getattr(existing, attribute) == value for existing in items):
            raise ValueError(f"{value!r} is registered twice")
        items.append(item)
        items.sort(key=lambda entry: entry.order)


def init_registry(app: Flask) -> Registry:
    registry = Registry()
    app.extensions[KEY] = registry
    return registry


def registry_of(app: Flask | None = None) -> Registry:
    return (app or current_app).extensions[KEY]
