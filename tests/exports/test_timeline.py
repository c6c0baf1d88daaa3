"""UK months as UTC instants: each moment lands in the month `pacing.month_of` gives it, at
the edges of British Summer Time too (the progress matrix places thousands this way)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from portfolio.exports import pacing, timeline

MONTHS = [date(2026, month, 1) for month in range(1, 13)]


def test_each_moment_lands_in_the_uk_month_it_falls_in(app):
    with app.app_context():
        months = timeline.Months(MONTHS)
        edges = [
            datetime(2026, 3, 31, 22, 59, 59, 999999, tzinfo=UTC),  # 23:59:59 BST, 31 March
            datetime(2026, 3, 31, 23, 0, tzinfo=UTC),  # midnight BST: April
            datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC),  # GMT again: still October
            datetime(2026, 11, 1, 0, 0, tzinfo=UTC),  # November
            datetime(2025, 12, 31, 23, 59, tzinfo=UTC),  # before the months: left out
            datetime(2027, 1, 1, 0, 0, tzinfo=UTC),  # after them: left out
        ]
        chance = random.Random(14)
        spread = [datetime(2025, 12, 20, tzinfo=UTC) + timedelta(
            seconds=chance.randrange(400 * 86400)) for _ in range(2000)]
        for moment in edges + spread:
            position = months.index(moment)
            month = pacing.month_of(moment)
            assert position == (MONTHS.index(month) if month in MONTHS else None), moment
        counts = months.per_month(edges + spread)
        assert counts == [sum(pacing.month_of(moment) == month for moment in edges + spread)
                          for month in MONTHS]
        assert months.count(edges) == {date(2026, 3, 1): 1, date(2026, 4, 1): 1,
                                       date(2026, 10, 1): 1, date(2026, 11, 1): 1}
