"""Every stored moment reads back as the same aware UTC datetime, whatever form its text takes
on SQLite (the fast path in `UTCDateTime.result_processor`) and on PostgreSQL."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import column, literal_column, select, table, text

from portfolio.auth.models import User
from portfolio.database import UTCDateTime, is_postgres, utcnow
from portfolio.extensions import db
from tests.factories import make_user


def _saved_and_read(moment: datetime, email: str) -> datetime:
    user = make_user(email=email)
    user.created_at = moment
    db.session.commit()
    db.session.expire_all()
    return db.session.scalar(select(User.created_at).where(User.id == user.id))


def test_a_saved_moment_reads_back_equal_and_aware(app):
    moment = datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=UTC)  # the hour before BST
    read = _saved_and_read(moment, "moment@example.org")
    assert read == moment
    assert read.utcoffset() == timedelta(0)


def test_a_moment_given_in_another_zone_is_stored_as_utc(app):
    summer = datetime(2026, 7, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    read = _saved_and_read(summer, "zone@example.org")
    assert read == summer
    assert read.hour == 8 and read.utcoffset() == timedelta(0)


@pytest.mark.parametrize("stored, expected", [
    # What SQLAlchemy writes, what CURRENT_TIMESTAMP writes, an ISO "T", fewer digits.
    ("2026-03-04 12:34:56.000000", datetime(2026, 3, 4, 12, 34, 56, tzinfo=UTC)),
    ("2026-03-04 12:34:56", datetime(2026, 3, 4, 12, 34, 56, tzinfo=UTC)),
    ("2026-03-04T12:34:56.5", datetime(2026, 3, 4, 12, 34, 56, 500000, tzinfo=UTC)),
    # Text the fast path does not take goes the general way and still reads right.
    ("2026-03-04 12:34:56+00:00", datetime(2026, 3, 4, 12, 34, 56, tzinfo=UTC)),
])
def test_any_sqlite_text_form_reads_as_aware_utc(app, stored, expected):
    if is_postgres():
        pytest.skip("PostgreSQL stores timestamptz, not text")
    moments = table("moments", column("at", UTCDateTime()))
    with db.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TEMP TABLE moments (at TEXT)")
        connection.execute(text("INSERT INTO moments (at) VALUES (:at)"), {"at": stored})
        read = connection.execute(select(moments.c.at)).scalar_one()
    assert read == expected
    assert read.utcoffset() == timedelta(0)


def test_null_reads_as_none(app):
    assert db.session.scalar(select(literal_column("NULL", UTCDateTime()))) is None


def test_a_naive_datetime_is_refused(app):
    user = make_user(email="naive@example.org")
    user.created_at = datetime(2026, 1, 1, 12, 0)
    with pytest.raises(Exception, match="naive datetime"):
        db.session.commit()
    db.session.rollback()
    assert utcnow().utcoffset() == timedelta(0)
