"""A page and its total in one statement: the same pages, totals and items as db.paginate."""

import pytest
from sqlalchemy import select

from portfolio.auth.models import User
from portfolio.database import paginate_counted
from portfolio.extensions import db
from tests.factories import make_user
from tests.performance.worlds import StatementRecorder


@pytest.mark.parametrize("page", [1, 2, 3, 4, 9])
def test_pages_match_flask_sqlalchemy(app, page):
    for number in range(7):
        make_user(name=f"Paged {number}")
    db.session.commit()
    statement = select(User).where(User.display_name.like("Paged %")).order_by(User.id)
    expected = db.paginate(statement, page=page, per_page=3, error_out=False)
    counted = paginate_counted(statement, page=page, per_page=3)
    assert [user.id for user in counted.items] == [user.id for user in expected.items]
    assert (counted.total, counted.pages, counted.has_next) == (7, 3, page < 3)
    assert (expected.total, expected.pages) == (7, 3)


def test_one_statement_for_a_page_and_its_total(app):
    make_user(name="Only one")
    db.session.commit()
    statement = select(User).where(User.display_name == "Only one")
    with StatementRecorder(db.engine) as recorder:
        counted = paginate_counted(statement, page=1, per_page=10)
    assert counted.total == 1 and len(recorder.executed) == 1
    empty = paginate_counted(select(User).where(User.display_name == "Nobody"), page=1,
                             per_page=10)
    assert (empty.items, empty.total, empty.pages) == ([], 0, 0)


@pytest.mark.parametrize("window", [False, True], ids=["count-subquery", "count-window"])
@pytest.mark.parametrize("page", [1, 2, 3, 4])
def test_plain_rows_with_the_shown_columns_read_for_the_page_only(app, page, window):
    """`shown` joins what the page shows onto the page's rows; pages, totals and order are
    those of the narrow statement, in one statement."""
    for number in range(7):
        make_user(name=f"Paged {number}", email=f"paged{number}@example.org")
    db.session.commit()
    narrow = (select(User.id, User.display_name).where(User.display_name.like("Paged %"))
              .order_by(User.display_name.desc(), User.id))

    def shown(rows):
        return (select(User.id, User.email, rows.c.total).join(rows, rows.c.id == User.id)
                .order_by(rows.c.display_name.desc(), rows.c.id))

    expected = db.paginate(select(User).where(User.display_name.like("Paged %"))
                           .order_by(User.display_name.desc(), User.id),
                           page=page, per_page=3, error_out=False)
    with StatementRecorder(db.engine) as recorder:
        counted = paginate_counted(narrow, page=page, per_page=3, plain=True, shown=shown,
                                   window=window)
    assert [tuple(row) for row in counted.items] == [(user.id, user.email)
                                                     for user in expected.items]
    assert (counted.total, counted.pages) == (7, 3)
    assert len(recorder.executed) == (1 if page <= 3 else 2)  # past the end counts apart
