"""Show UTC times in the programme's time zone (Europe/London), in one style everywhere.

Dates read "30 Nov 2026", times "04:19" (24-hour), both together "30 Nov 2026, 04:19".
The browser formats the times it shows itself (static/js) in the same style.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local(value: datetime) -> datetime:
    return value.astimezone(ZoneInfo(current_app.config["DISPLAY_TIMEZONE"]))


def format_datetime(value: datetime | None) -> str:
    """Format as '3 Mar 2026, 14:05' in Europe/London."""
    if value is None:
        return ""
    return f"{format_date(value)}, {format_time(value)}"


def format_date(value: date | datetime | None) -> str:
    """Format as '3 Mar 2026'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value)
    return f"{value.day} {value:%b %Y}"


def format_time(value: datetime | None) -> str:
    """Format as '14:05' in Europe/London."""
    if value is None:
        return ""
    return f"{local(value):%H:%M}"


def iso_datetime(value: datetime | None) -> str:
    return value.isoformat() if value else ""
