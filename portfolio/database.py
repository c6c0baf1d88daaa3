"""Database helpers shared by every feature: UTC time, SQLite tuning, scoped loaders."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from flask import abort
from sqlalchemy import DateTime, Enum, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from .extensions import db
from .requests import is_database_id


def utcnow() -> datetime:
    """Return the current time in UTC, timezone-aware."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Store aware UTC datetimes; SQLite drops the zone, so put it back on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use portfolio.database.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def state_type(states: type[StrEnum], name: str, length: int = 16) -> Enum:
    """Store a StrEnum by value in a VARCHAR the database checks (constraint ck_<table>_<name>).

    Loading gives the enum member; an unknown value is refused by the database, not only by
    the application, so a typo in a raw UPDATE or a migration cannot slip in either.
    """
    return Enum(states, name=name, native_enum=False, create_constraint=True, length=length,
                values_callable=lambda members: [member.value for member in members])


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # How long to wait for another writer's lock comes from the driver's `timeout` connect
    # argument (15 s by default, config.py), so a deployment or a test can change it.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def is_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def get_or_404(model, ident, *, visible=None, options=()):
    """Load a row by primary key, answering 404 when absent or when `visible(row)` is false.

    `options` (e.g. joinedload) load what the page will read in the same statement."""
    try:
        ident = int(ident)
    except (TypeError, ValueError):
        abort(404)
    if not is_database_id(ident):  # primary keys are 32-bit integers
        abort(404)
    row = db.session.get(model, ident, options=options)
    if row is None or (visible is not None and not visible(row)):
        abort(404)
    return row


def append_only_statements(table: str, dialect: str) -> list[str]:
    """SQL that makes the database itself refuse UPDATE and DELETE on `table`."""
    if dialect == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
                BEGIN
                  RAISE EXCEPTION '{table} rows are append-only' USING ERRCODE = 'raise_exception';
                END; $$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""",
        ]
    return [
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END""",
    ]


def drop_append_only_statements(table: str, dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_no_update ON {table}",
                f"DROP FUNCTION IF EXISTS {table}_append_only()"]
    return [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]
