"""Every SQLite connection reads through memory mapping and a larger page cache: the
dashboards' statements read thousands of rows at random (see portfolio/database.py)."""

import pytest

from portfolio.database import SQLITE_CACHE_KIB, SQLITE_MMAP_BYTES, is_postgres
from portfolio.extensions import db


def test_each_sqlite_connection_is_tuned(app):
    if is_postgres():
        pytest.skip("SQLite pragmas; PostgreSQL has its own shared buffers")
    # Two connections at once: the setting is made on connect, not once for the engine.
    with db.engine.connect() as first, db.engine.connect() as second:
        for connection in (first, second):
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA mmap_size").scalar() == SQLITE_MMAP_BYTES
            assert pragma("PRAGMA cache_size").scalar() == -SQLITE_CACHE_KIB
            assert pragma("PRAGMA foreign_keys").scalar() == 1
