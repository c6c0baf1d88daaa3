"""Pacing: entries and sign-offs by month, late-arrival flags and the cohort chart's geometry.

The cohort chart is drawn by a Jinja template as inline SVG from the numbers computed here, each
candidate's small chart by `progress_html.Sparklines`; nothing a user typed goes inside them
except escaped labels.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app

from ..timeutil import local

# A candidate is flagged when at least this many entries exist and most arrived late.
LATE_MIN_ENTRIES = 3
LATE_SHARE = 0.5
DEFAULT_LATE_WINDOW_WEEKS = 8
MAX_MONTHS = 36


def late_window_weeks() -> int:
    """How many weeks before a cohort's end date count as 'late' (EXPORT_LATE_WINDOW_WEEKS)."""
    return int(current_app.config.get("EXPORT_LATE_WINDOW_WEEKS", DEFAULT_LATE_WINDOW_WEEKS))


def month_of(moment: datetime | date) -> date:
    """First day of the month the moment falls in, in UK time."""
    if isinstance(moment, datetime):
        moment = local(moment).date()
    return moment.replace(day=1)


def month_range(start: date, end: date) -> list[date]:
    """Every month from start to end inclusive (at most MAX_MONTHS, keeping the latest)."""
    months, current, last = [], start.replace(day=1), end.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months[-MAX_MONTHS:]


def month_label(month: date, short: bool = True) -> str:
    return f"{month:%b}" if short else f"{month:%B %Y}"


@dataclass
class LateCheck:
    total: int
    late: int
    window_start: date

    @property
    def share(self) -> float:
        return self.late / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.share)

    @property
    def is_late(self) -> bool:
        return self.total >= LATE_MIN_ENTRIES and self.share > LATE_SHARE


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str


@dataclass
class Chart:
    width: int
    height: int
    baseline: float
    bars: list[Bar] = field(default_factory=list)
    lower_bars: list[Bar] = field(default_factory=list)
    points: str = ""
    markers: list[Bar] = field(default_factory=list)
    ticks: list[dict] = field(default_factory=list)
    maximum: int = 0
    cumulative_max: int = 0


def cohort_chart(months: list[date], signoffs: Counter, until: date | None = None) -> Chart:
    """Sign-offs per month as bars, with the running total as a line with markers.

    The running total stops at `until` (this month): a flat line into the future would read
    as a forecast.
    """
    left, top, plot_height, step = 34, 10, 120, 36
    chart = Chart(width=left + step * max(len(months), 1) + 10, height=top + plot_height + 34,
                  baseline=top + plot_height)
    running, totals = 0, []
    for month in months:
        running += signoffs.get(month, 0)
        totals.append(running)
    peak = max([*totals, 1])
    chart.maximum = max([*(signoffs.get(month, 0) for month in months), 0])
    chart.cumulative_max = peak
    points = []
    for index, month in enumerate(months):
        x = left + index * step
        value = signoffs.get(month, 0)
        height = round(plot_height * value / peak, 2)
        name = month_label(month, short=False)
        if value:
            chart.bars.append(Bar(x + 6, chart.baseline - height, step - 12, height, value,
                                  f"{name}: {value} sign-offs"))
        if until is None or month <= until:
            y = round(chart.baseline - plot_height * totals[index] / peak, 2)
            points.append(f"{x + step / 2},{y}")
            chart.markers.append(Bar(x + step / 2, y, 0, 0, totals[index],
                                     f"By the end of {name}: {totals[index]} sign-offs in all"))
        label = month_label(month) if month.month != 1 and index else f"{month:%b %y}"
        chart.ticks.append({"x": x + step / 2, "label": label})
    chart.points = " ".join(points)
    return chart
