"""Show UTC times in the programme's time zone (Europe/London) in plain English."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local(value: datetime) -> datetime:
    return value.astimezone(ZoneInfo(current_app.config["DISPLAY_TIMEZONE"]))


def format_datetime(value: datetime | None) -> str:
    """Format as '3 March 2026, 2:05pm' in Europe/London."""
    if value is None:
        return ""
    moment = local(value)
    hour = moment.strftime("%I").lstrip("0") or "12"
    return f"{moment.day} {moment:%B %Y}, {hour}:{moment:%M}{moment:%p}".replace(
        "AM", "am").replace("PM", "pm")


def format_date(value: date | datetime | None) -> str:
    """Format as '3 March 2026'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value)
    return f"{value.day} {value:%B %Y}"


def iso_datetime(value: datetime | None) -> str:
    return value.isoformat() if value else ""
