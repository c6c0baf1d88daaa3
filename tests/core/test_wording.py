"""One date and time style everywhere (Europe/London), and counts in plain English."""

from __future__ import annotations

from datetime import UTC, date, datetime

from portfolio.timeutil import format_date, format_datetime, format_time
from portfolio.wording import counts_in_words, plural


def test_one_style_for_dates_and_times_in_uk_time(app):
    winter = datetime(2026, 11, 30, 4, 19, 40, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 23, 5, tzinfo=UTC)  # BST: already the next day in London
    assert format_datetime(winter) == "30 Nov 2026, 04:19"
    assert format_datetime(summer) == "2 Jul 2026, 00:05"
    assert format_time(summer) == "00:05"
    assert format_date(date(2027, 1, 15)) == "15 Jan 2027"
    assert format_date(summer) == "2 Jul 2026"
    assert format_datetime(None) == format_date(None) == format_time(None) == ""


def test_templates_use_the_same_filters(app):
    moment = datetime(2026, 11, 30, 16, 19, tzinfo=UTC)
    rendered = app.jinja_env.from_string(
        "{{ m | datetime }}|{{ m | date }}|{{ m | time }}|{{ 1 | plural('candidate') }}|"
        "{{ 3 | plural('coach developer') }}|{{ 0 | plural('entry') }}").render(m=moment)
    assert rendered == ("30 Nov 2026, 16:19|30 Nov 2026|16:19|1 candidate|"
                        "3 coach developers|0 entries")


def test_plurals():
    assert plural(1, "candidate") == "1 candidate"
    assert plural(2, "reply") == "2 replies"
    assert plural(2, "day") == "2 days"
    assert plural(2, "box") == "2 boxes"
    assert plural(5, "person") == "5 people"
    assert plural(2, "signed off", "signed off") == "2 signed off"


def test_counts_in_words_leave_out_zeros():
    assert counts_in_words((0, "signed off"), (0, "not yet"), nothing="no decisions") == \
        "no decisions"
    assert counts_in_words((2, "signed off"), (0, "not yet")) == "2 signed off"
    assert counts_in_words((2, "signed off"), (1, "not yet")) == "2 signed off and 1 not yet"
    assert counts_in_words((1, "a"), (2, "b"), (3, "c")) == "1 a, 2 b and 3 c"
