"""read_rows: a column SELECT on the session's connection sees exactly what the session's own
execute would see: its transaction, and pending changes flushed first (unless autoflush is
off)."""

from sqlalchemy import bindparam, select

from portfolio.auth.models import User
from portfolio.database import read_rows
from portfolio.extensions import db
from tests.factories import make_user


def names(prefix: str) -> list[str]:
    statement = (select(User.display_name).where(User.display_name.like(f"{prefix}%"))
                 .order_by(User.display_name))
    return [name for name, in read_rows(statement)]


def test_the_same_rows_as_the_session_gives(app):
    for number in range(3):
        make_user(name=f"Reader {number}")
    db.session.commit()
    statement = select(User.id, User.display_name).where(User.display_name.like("Reader %"))
    assert read_rows(statement).all() == db.session.execute(statement).all()
    assert names("Reader") == ["Reader 0", "Reader 1", "Reader 2"]


def test_pending_changes_are_flushed_first_as_the_session_would(app):
    user = make_user(name="Before rename")
    db.session.commit()
    user.display_name = "After rename"           # dirty
    db.session.add(User(email="new@example.org", display_name="After added"))  # new
    assert names("After") == ["After added", "After rename"]
    assert names("Before") == []
    db.session.rollback()                         # one transaction: nothing was committed
    assert names("After") == [] and names("Before") == ["Before rename"]


def test_no_flush_while_autoflush_is_off(app):
    user = make_user(name="Kept name")
    db.session.commit()
    with db.session.no_autoflush:
        user.display_name = "Unflushed name"
        assert names("Unflushed") == [] and names("Kept") == ["Kept name"]
    assert names("Unflushed") == ["Unflushed name"]


def test_bound_values_and_expanding_lists(app):
    ids = [make_user(name=f"Listed {number}").id for number in range(4)]
    db.session.commit()
    statement = select(User.display_name).where(User.id.in_(bindparam("ids", expanding=True)))
    rows = read_rows(statement.order_by(User.id), {"ids": ids[1:3]}).all()
    assert [name for name, in rows] == ["Listed 1", "Listed 2"]
