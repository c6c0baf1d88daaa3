"""The API's blueprints: `api` (the JSON resources under /api/v1, documented in OpenAPI and
authenticated by bearer token only) and `api_pages` (its document, its docs page, and the pages
where people make tokens and leads register client systems)."""

import logging

from flask import Blueprint
from flask_smorest import Blueprint as ApiBlueprint
from werkzeug.exceptions import HTTPException

from ..extensions import db
from .problems import ApiProblem, from_http_exception, problem

log = logging.getLogger(__name__)

bp = ApiBlueprint("api", __name__, url_prefix="/api/v1",
                  description="The portfolio's data for other systems: read with a bearer token.")
pages = Blueprint("api_pages", __name__)


@bp.errorhandler(HTTPException)
def _problem(error):
    return error.get_response() if isinstance(error, ApiProblem) else from_http_exception(error)


@bp.errorhandler(Exception)
def _unexpected(error):
    db.session.rollback()
    log.exception("unhandled error in the API")
    return problem(500, "Something went wrong on the server.")
