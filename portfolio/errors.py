"""Domain errors raised by services and the handlers that turn failures into friendly pages."""

from __future__ import annotations

import errno
import logging

from flask import g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from .extensions import db, login_manager
from .logs import log_request_error, request_id

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the programme refused an action; `field` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ConflictError(DomainError):
    """Someone else changed the same thing first (optimistic locking)."""


class ReadOnlyError(DomainError):
    """The object belongs to an archived programme year or a withdrawn candidate."""


def apply_to_form(error: DomainError, form) -> None:
    """Show a service's refusal next to the field it names, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*list(field.errors or []), error.message]
    else:
        form.form_errors.append(error.message)


ERROR_TEXT = {
    400: ("Something went wrong with that request", "The page could not process what was sent. "
          "If you were filling in a form, go back, reload the page and try again."),
    403: ("You do not have access to this page", "Your account does not have permission for "
          "this page. If you think it should, contact your programme lead."),
    404: ("Page not found", "If you typed the web address, check it is correct. If you followed "
          "a link, the page may have moved or you may not have access to it."),
    405: ("That action is not allowed here", "Use the buttons on the page rather than typing "
          "the address."),
    409: ("Someone else changed this first", "Your changes were not saved because the item "
          "changed while you were working. Your text is shown below so you can copy it."),
    413: ("That was too large", "The file or text you sent is over the size limit. "
          "Your text has not been lost: go back to the form to keep working."),
    429: ("Too many attempts", "Please wait a few minutes and try again."),
    500: ("Sorry, there is a problem with the service", "Try again later. Nothing you saved "
          "before this has been lost."),
    503: ("Sorry, the service is unavailable", "The service is busy or being maintained. "
          "Try again in a few minutes. Nothing you saved before this has been lost."),
}


def render_error(code: int, detail: str | None = None):
    title, message = ERROR_TEXT.get(code, ERROR_TEXT[500])
    # A server-side failure carries the request id, so a user can quote it to support.
    reference = request_id() if code >= 500 else None
    if request.path.startswith("/api/"):
        # The API's errors are RFC 9457 problem details, even for an address it does not know.
        body = {"type": "about:blank", "title": title, "status": code,
                "detail": detail or message, "instance": request.path}
        response = jsonify(body | ({"request_id": reference} if reference else {}))
        response.mimetype = "application/problem+json"
        return response, code
    if request.accept_mimetypes.best == "application/json":
        body = {"error": title, "detail": detail or message}
        return jsonify(body | ({"request_id": reference} if reference else {})), code
    return render_template("errors/error.html", code=code, title=title,
                           message=message, detail=detail, reference=reference), code


def register_errorhandlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        # A feature may keep the refused form's text and send its writer back to it.
        for keep in app.extensions.get("refused_post_keepers", []):
            answer = keep()
            if answer is not None:
                return answer
        return render_error(400, "The form had expired or was sent from somewhere else. "
                                 "Go back, reload the page and send it again.")

    @app.errorhandler(HTTPException)
    def http_error(error):
        detail = error.description if error.code == 429 else None
        return render_error(error.code or 500, detail)

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(error):
        if not is_database_unavailable(error):
            return unexpected(error)
        log_request_error("database unavailable", error, traceback=False)
        _rollback_quietly()
        _forget_signed_in_user()
        return render_error(503)

    @app.errorhandler(OSError)
    def storage_full(error):
        if not is_out_of_space(error):
            return unexpected(error)
        log_request_error("out of disk space", error, traceback=False)
        _rollback_quietly()
        return render_error(503, "The server has run out of space to store files. Nothing "
                                 "from this request was saved; try again later.")

    @app.errorhandler(Exception)
    def unexpected(error):
        _rollback_quietly()
        log_request_error("unhandled error", error, load_user=True)
        return render_error(500)


def is_database_unavailable(error: BaseException) -> bool:
    """The database is down, restarting, unreachable, locked or out of connections."""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def is_out_of_space(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


def _forget_signed_in_user():
    """Render the 503 page as for a visitor: showing the account would need the database."""
    g._login_user = login_manager.anonymous_user()


def _rollback_quietly():
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the database may be the thing that failed
        log.warning("rollback failed after an error", exc_info=True)
