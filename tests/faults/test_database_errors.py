"""Which failures become the friendly 503 page and which stay a 500 (tested without a server)."""

from __future__ import annotations

import errno

import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

FAILURES = {
    "operational": (lambda: OperationalError("SELECT 1", {}, Exception("server closed")), 503),
    "interface": (lambda: InterfaceError("SELECT 1", {}, Exception("connection closed")), 503),
    "invalidated": (lambda: DBAPIError("SELECT 1", {}, Exception("lost"),
                                       connection_invalidated=True), 503),
    "pool-timeout": (lambda: PoolTimeout("QueuePool limit reached"), 503),
    "disk-full": (lambda: OSError(errno.ENOSPC, "No space left on device"), 503),
    "quota": (lambda: OSError(errno.EDQUOT, "Disk quota exceeded"), 503),
    "other-dbapi": (lambda: DBAPIError("SELECT 1", {}, Exception("odd")), 500),
    "integrity": (lambda: IntegrityError("INSERT", {}, Exception("duplicate")), 500),
    "permission": (lambda: OSError(errno.EACCES, "Permission denied"), 500),
    "bug": (lambda: KeyError("oops"), 500),
}


@pytest.fixture
def failing_app(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    def fail(kind):
        raise FAILURES[kind][0]()

    app.add_url_rule("/_fail/<kind>", "fail", fail)
    return app


@pytest.mark.parametrize("kind", FAILURES)
def test_failure_maps_to_a_friendly_page(failing_app, kind):
    response = failing_app.test_client().get(f"/_fail/{kind}")
    body = response.get_data(as_text=True)
    assert response.status_code == FAILURES[kind][1]
    assert "Traceback" not in body and "Error" in body
    if response.status_code == 503:
        assert "Nothing you saved before this has been lost" in body or "Nothing from this" in body
    assert "No space left" not in body and "connection closed" not in body
