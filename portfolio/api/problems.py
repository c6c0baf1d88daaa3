"""RFC 9457 problem details: every API error is application/problem+json."""

from __future__ import annotations

import json

from flask import Response, request
from werkzeug.exceptions import HTTPException

PROBLEM_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request", 401: "Not signed in with a valid token", 403: "Not allowed",
    404: "Not found", 405: "Method not allowed", 409: "Conflict", 413: "Too large",
    415: "Unsupported media type", 422: "Unprocessable content", 429: "Too many requests",
    500: "Internal error", 503: "Service unavailable",
}


def problem(status: int, detail: str, *, headers: dict | None = None, **extra) -> Response:
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status,
            "detail": detail, "instance": request.path, **extra}
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_http_exception(error: HTTPException) -> Response:
    """A problem for an abort() or a routing error; keeps validation messages (422)."""
    status = error.code or 500
    extra = {}
    messages = getattr(error, "data", {}).get("messages") if hasattr(error, "data") else None
    if messages:
        extra["errors"] = messages
    detail = error.description if status != 500 else "Something went wrong on the server."
    headers = {}
    if status == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return problem(status, str(detail), headers=headers, **extra)


class ApiProblem(HTTPException):
    """Raise to answer with a problem (and optional headers) from anywhere in a request."""

    def __init__(self, status: int, detail: str, headers: dict | None = None):
        super().__init__(description=detail)
        self.code = status
        self.extra_headers = headers or {}

    def get_response(self, environ=None, scope=None) -> Response:
        return problem(self.code, self.description, headers=self.extra_headers)
