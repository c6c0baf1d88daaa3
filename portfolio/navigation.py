"""Role-aware navigation: features register links (`Registry.add_nav_item`); the header shows
those the user may use."""

from __future__ import annotations

from collections.abc import Callable

from flask import request

from .registry import NavItem, registry_of
from .urls import fixed_url


def navigation_for(user) -> list[dict]:
    """The links this user may follow; the one for the page being shown is marked current."""
    if not user.is_authenticated:
        return []
    answers: dict[Callable, bool] = {}  # several links share a rule: ask each rule once

    def visible(item: NavItem) -> bool:
        if item.visible not in answers:
            answers[item.visible] = bool(item.visible(user))
        return answers[item.visible]

    here = request.endpoint or ""
    shown = [item for item in registry_of().nav_items if visible(item)]
    # The most specific match wins: "Shared with me" rather than "My portfolio" on its page.
    current = next((item for item in shown if item.endpoint == here), None) or next(
        (item for item in shown if item.endpoint.split(".")[0] == here.split(".")[0]), None)
    return [{"label": item.label, "url": fixed_url(item.endpoint), "current": item is current}
            for item in shown]
