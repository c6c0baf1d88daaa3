"""Database helpers shared by every feature: UTC time, SQLite tuning, scoped loaders."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import TypeVar

from flask import abort, current_app
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import DateTime, Enum, bindparam, event, func
from sqlalchemy import inspect as sql_inspect
from sqlalchemy import select as sql_select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, lazyload, mapped_column
from sqlalchemy.types import TypeDecorator

from .extensions import db
from .requests import is_database_id

Built = TypeVar("Built")


def built_once(build: Callable[..., Built]) -> Callable[..., Built]:
    """Build a statement once per application and hand out the same object afterwards.

    Constructing a large SELECT (unions, subqueries, a dozen labelled columns) costs more Python
    time than SQLite takes to run it; a built statement is immutable, so the hot pages build
    theirs once, with `bindparam` placeholders for the values (`expanding=True` for id lists),
    and pass the values to `execute`. Kept per application, because some statements depend on
    what the application registered (its viewer facts).

    A builder may take arguments that choose the statement's shape (a flag such as "the
    viewer is a manager"): one statement is kept per distinct set of arguments, so they must
    be hashable and few. Values go in bind parameters, never in these arguments."""
    key = f"{build.__module__}.{build.__qualname__}"

    @functools.wraps(build)
    def statement(*shape) -> Built:
        store = current_app.extensions.setdefault("built_statements", {})
        full = (key, *shape)
        if full not in store:
            store[full] = build(*shape)
        return store[full]

    return statement


def read_rows(statement, params: dict | None = None):
    """Run a SELECT of plain columns (no entities) on the session's connection: the Result.

    A read model that builds no ORM entities gains nothing from the session's ORM execution
    (compile state, loading options, entity adaption), which costs about 120 µs a statement,
    as much as SQLite takes to answer most of them: a page of ten statements spends a
    millisecond on it. The statement runs in the session's transaction, as
    `db.session.execute` would, and pending changes are flushed first as autoflush would
    (so a read after a write in the same request still sees it). Only for column SELECTs:
    an entity SELECT run this way returns bare columns, not objects."""
    session = db.session()
    if session.autoflush and (session.new or session.deleted or session.dirty):
        session.flush()
    return session.connection().execute(statement, params or {})


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

    def result_processor(self, dialect, coltype):
        """On SQLite, read the stored text straight into an aware datetime.

        The general path parses the text, then `replace`s the zone in: 0.9 µs a value, which
        was 2 of the progress matrix's 16 ms (a couple of thousand moments per page).
        `fromisoformat` with the UTC offset appended makes the same aware datetime in 0.1 µs;
        any text it does not take goes the general way."""
        general = super().result_processor(dialect, coltype)
        if dialect.name != "sqlite" or general is None:
            return general
        parse = datetime.fromisoformat

        def process(value):
            if value.__class__ is str:
                try:
                    return parse(value + "+00:00")
                except ValueError:
                    pass
            return general(value)

        return process


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


def begin_writing(session=None) -> None:
    """Make the current transaction a writer now, so what it reads next is the latest committed
    state and stays so until it commits.

    On SQLite the driver opens a transaction only at the first INSERT, UPDATE or DELETE; every
    SELECT before it reads whatever was committed at that instant, so two reads a moment apart
    can disagree, and a decision taken on them can be stale by the time the write lands. This
    starts the transaction with `BEGIN IMMEDIATE` (waiting, up to the connection's timeout,
    for another writer to finish) unless one is already open. PostgreSQL needs nothing here:
    callers lock the rows they decide on with `FOR UPDATE`."""
    session = session or db.session()
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.driver_connection
    if not driver.in_transaction:
        driver.execute("BEGIN IMMEDIATE")


def lock_for_decision(instance: Built, session=None, *, deleting: bool = False) -> Built | None:
    """Read `instance` again, locked until the commit, before deciding anything on it.

    Two requests that each check a rule and then write (a cohort's free places, a framework
    still being a draft, a year not yet archived) must take turns, or both pass the check and
    together break the rule. The row is read locked (PostgreSQL: the second request waits
    here until the first commits, then reads what it left) after `begin_writing`
    (SQLite: the transaction takes the database's write lock first). Pending changes are
    flushed first so the fresh read cannot drop them. None when the row is gone.

    The lock is `FOR NO KEY UPDATE`, the one an UPDATE takes: deciders take turns, while rows
    that merely refer to this one (and take a key-share lock) go on being added. `deleting`
    takes `FOR UPDATE`, which also waits for those (see evidence's `hold_for_review`)."""
    session = session or db.session()
    session.flush()
    begin_writing(session)
    if hasattr(instance, "_get_current_object"):  # flask-login's current_user
        instance = instance._get_current_object()
    model, state = type(instance), sql_inspect(instance)
    keys = [column == value for column, value
            in zip(state.mapper.primary_key, state.identity, strict=True)]
    # OF the model's own table: eager-loaded relationships join other tables, and PostgreSQL
    # refuses to lock the nullable side of an outer join.
    locking = sql_select(model).where(*keys).with_for_update(of=model, key_share=not deleting)
    return session.scalars(locking.execution_options(populate_existing=True)).one_or_none()


SQLITE_MMAP_BYTES = 256 * 1024 * 1024
SQLITE_CACHE_KIB = 16 * 1024


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
    # Read the file through memory mapping, shared by every connection and worker process, and
    # keep more pages per connection than the 2 MB default: a dashboard's statements read
    # thousands of rows at random, and without these each read is a system call (measured on
    # the seed-scale data: the lead's open requests took 26 ms, 13 ms with both).
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


@event.listens_for(Engine, "connect")
def _tune_postgres(dbapi_connection, connection_record):
    """No JIT on PostgreSQL: the planner's cost for a visibility-filtered search over 50,000
    documents passes `jit_above_cost`, and compiling it took 1.2 s of a 1.23 s statement; the
    app's statements are short lookups that JIT never pays back. Set per connection (not in
    the URL's `options`, which a deployment may use for its own settings) and committed, so
    the pool's rollback does not undo it."""
    if not type(dbapi_connection).__module__.startswith("psycopg"):
        return
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    dbapi_connection.commit()


# --- ending read-only requests with COMMIT on PostgreSQL ------------------------------------
#
# psycopg prepares a statement on the server once a connection has run it five times, so
# PostgreSQL stops planning it again (planning was 2.5 of the 8 ms of a coach developer's
# recent activity, and a dashboard runs ten statements). But psycopg forgets every prepared
# statement when it sees a ROLLBACK, and every request ended with one (the session's close),
# so nothing was ever prepared. A request whose transaction only read ends with COMMIT
# instead, which for a transaction that wrote nothing does exactly what ROLLBACK does. A
# transaction that sent anything but a SELECT, or a request that failed, still rolls back.

WROTE = "portfolio_transaction_wrote"


def _note_writes(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip()[:6].upper() != "SELECT":
        conn.info[WROTE] = True


def _forget_writes(conn):
    conn.info.pop(WROTE, None)


def end_reads_with_commit(app) -> None:
    """On PostgreSQL, end each request's read-only transaction with COMMIT (see above)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _note_writes)
    event.listen(engine, "commit", _forget_writes)
    event.listen(engine, "rollback", _forget_writes)

    @app.teardown_appcontext
    def _commit_reads(error):  # runs before Flask-SQLAlchemy's session.remove()
        session = db.session()
        if error is not None or not session.in_transaction():
            return
        if session.new or session.dirty or session.deleted:
            return
        if session.connection().info.get(WROTE):
            return
        # As the session's close would: what was loaded stays loaded (no expiry on commit),
        # for code that still reads an object after its app context ends.
        expire, session.expire_on_commit = session.expire_on_commit, False
        try:
            session.commit()
        except Exception:  # noqa: BLE001 - the rollback that follows is the old behaviour
            session.rollback()
        finally:
            session.expire_on_commit = expire


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


class CountedPagination(SelectPagination):
    """A page of rows and the total number in one statement, where Flask-SQLAlchemy sends a
    second one to count: the count rides along as an uncorrelated scalar subquery, which the
    database evaluates once, and the page itself can still stop after its last row (a
    `count(*) OVER ()` window would make it build every row first). A page past the end
    counts apart."""

    _counted: int | None = None

    def _query_items(self) -> list:
        args = self._query_args
        page = args.get("built")
        if page is None:
            page = counted_page(args["select"], shown=args.get("shown"),
                                window=args.get("window", False))
        params = {**(args.get("params") or {}), "page_limit": self.per_page,
                  "page_offset": self._query_offset}
        # Plain columns skip the ORM's execution (read_rows); entities need it.
        result = read_rows(page, params) if args.get("plain") else args["session"].execute(
            page, params)
        rows = result.unique().all()
        self._counted = rows[0][-1] if rows else (0 if self._query_offset == 0 else None)
        if args.get("plain"):  # plain columns: each row without the count
            return [row[:-1] for row in rows]
        return [row[0] for row in rows]

    def _query_count(self) -> int:
        if self._counted is not None:
            return self._counted
        everything = self._query_args["select"].options(lazyload("*")).order_by(None).subquery()
        return self._query_args["session"].execute(
            sql_select(func.count()).select_from(everything),
            self._query_args.get("params") or {}).scalar()


def counted_page(statement, *, shown=None, window: bool = False):
    """The one statement `paginate_counted` runs for `statement`: the page's rows with the
    total as their last column, the page's size and start bound as `page_limit` and
    `page_offset`. A list built once (`built_once`) builds this once too and hands it to
    `paginate_counted(built=...)`, so not even the paging is rebuilt per request."""
    if window:
        total = func.count().over()
    else:
        everything = statement.options(lazyload("*")).order_by(None).subquery()
        total = sql_select(func.count()).select_from(everything).scalar_subquery()
    page = (statement.add_columns(total.label("total"))
            .limit(bindparam("page_limit")).offset(bindparam("page_offset")))
    return page if shown is None else shown(page.subquery())


def grouped_by_id(statement, ids) -> dict[int, list[tuple]]:
    """Run `statement` (first column an id, an expanding bind parameter `ids`) for these ids:
    id -> the rest of each of its rows, in the statement's order; every id is present."""
    groups: dict[int, list[tuple]] = {item: [] for item in ids}
    if groups:
        for key, *rest in read_rows(statement, {"ids": list(groups)}):
            groups[key].append(tuple(rest))
    return groups


def paginate_counted(statement, *, page: int, per_page: int, plain: bool = False,
                     shown=None, window: bool = False, built=None,
                     params: dict | None = None) -> CountedPagination:
    """`db.paginate(statement, error_out=False)` in one statement instead of two.

    `plain`: the statement selects columns, not an entity, and each item is the row of them.
    `shown(page)`: the columns the page shows, read for the page's rows only: it gets the page
    (the statement's columns and `total`, as a subquery) and returns the statement to run,
    whose last column is `page.c.total`. A list of thousands of rows is then ordered, counted
    and cut on its narrow columns, and the wide tables the page shows are read for its
    rows alone.
    `window`: count with `count(*) OVER ()` in the same pass instead of a second scan, for a
    statement that no index can return in order (it is sorted whole anyway, so nothing is
    lost by building every row; the lead's open requests: 28 ms became 17 ms).
    `built`: `counted_page(statement, ...)` made ahead (statements built once), with the
    values of `statement`'s bind parameters in `params`."""
    return CountedPagination(select=statement, session=db.session(), page=page,
                             per_page=per_page, error_out=False, plain=plain, shown=shown,
                             window=window, built=built, params=params)
