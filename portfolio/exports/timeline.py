"""UK months and date windows as UTC instants, so many moments are placed by comparison.

Converting each of thousands of moments to UK time costs more than the rest of the progress
page; a month (or a run of UK dates) is instead turned once into the UTC instants where it
starts and ends, and each moment is placed with a binary search. The results are the ones
`pacing.month_of` gives moment by moment.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])


def day_start(day: date, zone: ZoneInfo | None = None) -> datetime:
    """The UTC instant at which a UK date begins."""
    return datetime.combine(day, time(), tzinfo=zone or _zone()).astimezone(UTC)


class Months:
    """Consecutive UK months, with the instants that bound them."""

    def __init__(self, months: list[date]):
        zone = _zone()
        self.months = months
        following = (months[-1] + timedelta(days=32)).replace(day=1) if months else None
        self.bounds = [day_start(month, zone) for month in months]
        if following:
            self.bounds.append(day_start(following, zone))

        # The same bounds as POSIX seconds: comparing floats is several times cheaper than
        # comparing aware datetimes, and a page places thousands of moments.
        self._seconds = [bound.timestamp() for bound in self.bounds]

    def index(self, moment: datetime) -> int | None:
        """Position of the month the moment falls in, or None outside the months."""
        position = bisect_right(self._seconds, moment.timestamp()) - 1
        return position if 0 <= position < len(self.months) else None

    def per_month(self, moments: list[datetime]) -> list[int]:
        """How many of the moments fall in each month, in month order (others left out)."""
        counts = [0] * len(self.months)
        seconds, last = self._seconds, len(self.months)
        for moment in moments:
            position = bisect_right(seconds, moment.timestamp()) - 1
            if 0 <= position < last:
                counts[position] += 1
        return counts

    def count(self, moments: list[datetime]) -> Counter:
        """Moments per month (first day of the month -> number), outside months left out."""
        return Counter({month: number for month, number
                        in zip(self.months, self.per_month(moments), strict=True) if number})


def day_span(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """The instants from the start of first_day to the end of last_day (UK dates)."""
    zone = _zone()
    return day_start(first_day, zone), day_start(last_day + timedelta(days=1), zone)


def count_within(sorted_moments: list[datetime], span: tuple[datetime, datetime]) -> int:
    """How many of the (sorted) moments fall within the span."""
    start, end = span
    return bisect_left(sorted_moments, end) - bisect_left(sorted_moments, start)
