"""The REST API (/api/v1): bearer tokens, an OpenAPI 3.1 document made from the code, and
RFC 9457 problem details for every error."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from ..extensions import csrf


class PortfolioApi(Api):
    """flask-smorest's Api without its app-wide error handler: the pages keep theirs, and the
    API blueprint answers its own errors as problem details."""

    def _register_error_handlers(self):
        return None


def init_app(app: Flask) -> None:
    from . import oauth, page_views, views  # noqa: F401  (routes)
    from .blueprint import bp, pages

    app.config.setdefault("API_TITLE", "Advanced Coach Portfolio API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    api = PortfolioApi(app, spec_kwargs={"info": {"description": (
        "Read the portfolio's programme data with a bearer token. Every list is paginated "
        "with an opaque cursor and filterable by updated_since; errors are RFC 9457 "
        "problem details. The API shows each person exactly what the pages show them.")}})
    api.spec.components.security_scheme("bearerAuth", {
        "type": "http", "scheme": "bearer",
        "description": "A personal access token, or a client system's token from "
                       "POST /api/v1/oauth/token"})

    # Tokens, never cookies, authenticate the API: a cross-site form cannot use a browser's
    # session there, so the CSRF check has nothing to protect.
    csrf.exempt(bp)
    api.register_blueprint(bp)
    app.register_blueprint(pages)
