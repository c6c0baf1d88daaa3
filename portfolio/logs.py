"""Logs an operator can use: UTC times, a request id on every request, quiet PDF rendering.

Every request gets an id: a sane `X-Request-ID` from the proxy in front, else a new one. It is
sent back as a response header, shown on the 500 page (so a user can quote it) and written on
every log line made while the request runs, so one grep finds everything about one failure.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import inspect

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy's id may look like (nginx's $request_id, a UUID, a trace id): no spaces, no
# control characters, nothing that could forge a log line.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
_BARE_VALUE = re.compile(r"[A-Za-z0-9._:/@+-]{1,300}")
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] request_id=%(request_id)s %(message)s"
# Libraries that log every step of every PDF at INFO: 25 lines per archive, none of them news.
QUIET_LOGGERS = ("weasyprint", "fontTools")

log = logging.getLogger("portfolio.errors")


class UtcFormatter(logging.Formatter):
    """ISO 8601 times in UTC, as stored in the database."""

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's name
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        return f"{stamp}.{int(record.msecs):03d}Z"


class RequestIdFilter(logging.Filter):
    """Stamp each record with the id of the request it was made in ('-' outside requests)."""

    def filter(self, record):
        record.request_id = request_id() if has_request_context() else "-"
        return True


def configure_logging() -> None:
    """Log INFO and above to stderr, unless the host process has set up logging already."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(UtcFormatter(FORMAT))
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def request_id() -> str:
    """This request's id: the proxy's if it looks sane, else a new random one."""
    if "request_id" not in g:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    return g.request_id


def install_request_ids(app: Flask) -> None:
    @app.after_request
    def _send_request_id(response):
        response.headers[REQUEST_ID_HEADER] = request_id()
        return response

    app.jinja_env.globals.update(request_id=request_id)


def log_request_error(event: str, error: BaseException, *, traceback: bool = True,
                      load_user: bool = False) -> None:
    """One line naming the request that failed (time, id, method, path, user), then the trace.

    With `load_user`, a user the request had not loaded yet is looked up (the error page does
    so anyway); without it, only one already loaded is named: the database may be down.
    """
    fields = {
        "request_id": request_id(),
        "method": request.method,
        "path": request.path,
        "user_id": _signed_in_user_id(load_user),
        "error": f"{type(error).__name__}: {error}"[:500],
    }
    line = " ".join(f"{key}={_logfmt(value)}" for key, value in fields.items())
    log.error("%s %s", event, line, exc_info=error if traceback else None)


def _signed_in_user_id(load: bool) -> str:
    user = g.get("_login_user")
    if user is None and load:
        try:
            user = current_user._get_current_object()
        except Exception:  # noqa: BLE001 - naming the user must not hide the error itself
            user = None
    state = inspect(user, raiseerr=False) if user is not None else None
    if state is None or not state.identity:
        return "-"
    return str(state.identity[0])


def _logfmt(value) -> str:
    text = str(value)
    return text if _BARE_VALUE.fullmatch(text) else json.dumps(text[:300])
