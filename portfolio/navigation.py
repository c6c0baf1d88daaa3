"""Role-aware navigation: features register links; the header shows those the user may use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import request, url_for


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    visible: Callable
    order: int = 50


NAV_ITEMS: list[NavItem] = []


def add_nav_item(label: str, endpoint: str, visible: Callable, order: int = 50) -> None:
    if all(item.endpoint != endpoint for item in NAV_ITEMS):
        NAV_ITEMS.append(NavItem(label, endpoint, visible, order))
        NAV_ITEMS.sort(key=lambda item: item.order)


def navigation_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    current_bp = (request.endpoint or "").split(".")[0]
    return [
        {"label": item.label, "url": url_for(item.endpoint),
         "current": item.endpoint.split(".")[0] == current_bp}
        for item in NAV_ITEMS if item.visible(user)
    ]


add_nav_item("Users", "admin.users", lambda user: user.is_admin, order=90)
