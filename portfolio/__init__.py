"""Advanced Coach Portfolio: the application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import load_config, resolve_instance_path, resource_folder
from .extensions import csrf, db, login_manager, migrate
from .logs import configure_logging, install_request_ids
from .requests import IdConverter, PortfolioRequest

# Each feature's `init_app` registers its blueprint, commands and what it plugs into the shared
# pages (portfolio/registry.py), in this order.
FEATURES = [
    "portfolio.main",
    "portfolio.auth",
    "portfolio.admin",
    "portfolio.programmes",
    "portfolio.frameworks",
    "portfolio.entries",
    "portfolio.evidence",
    "portfolio.reviews",
    "portfolio.notifications",
    "portfolio.exports",
    "portfolio.privacy",
    "portfolio.search",
    "portfolio.showcases",
    "portfolio.panels",
    "portfolio.credentials",
    "portfolio.api",
    "portfolio.observations",
    "portfolio.sso",
    "portfolio.quicksign",
    "portfolio.webhooks",
    "portfolio.feedback",
    "portfolio.consent",
    "portfolio.offline",
]


def create_app(overrides: dict | None = None) -> Flask:
    configure_logging()
    app = Flask(
        __name__,
        instance_path=str(resolve_instance_path(overrides)),
        instance_relative_config=True,
        template_folder=str(resource_folder("templates")),
        static_folder=str(resource_folder("static")),
    )
    app.request_class = PortfolioRequest
    app.url_map.converters["int"] = IdConverter
    load_config(app, overrides)
    _prepare_folders(app)
    register_extensions(app)
    register_features(app)
    register_errorhandlers(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def _prepare_folders(app: Flask) -> None:
    for key in ("UPLOAD_FOLDER", "EXPORT_FOLDER", "MAIL_FOLDER"):
        Path(app.config[key]).mkdir(parents=True, exist_ok=True)


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401 - every model must be known before migrations run
    from .auth.viewer import load_viewer
    from .database import end_reads_with_commit

    db.init_app(app)
    end_reads_with_commit(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_viewer)
    if app.config.get("PROXY_FIX"):
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def register_features(app: Flask) -> None:
    import importlib

    from .registry import init_registry

    init_registry(app)
    for name in FEATURES:
        importlib.import_module(name).init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from .errors import register_errorhandlers as register

    register(app)


def register_request_hooks(app: Flask) -> None:
    from .security import set_security_headers

    install_request_ids(app)

    @app.after_request
    def _headers(response):
        return set_security_headers(response, https=app.config.get("HTTPS", False))

    @app.teardown_request
    def _rollback_uncommitted(exc):
        # A request that did not commit leaves nothing behind.
        if exc is not None:
            db.session.rollback()


def register_template_helpers(app: Flask) -> None:
    from . import markup
    from .forms import use_fast_html_params
    from .navigation import navigation_for
    from .text import plain_excerpt, render_markdown, stored_html
    from .timeutil import format_date, format_datetime, format_time, iso_datetime
    from .urls import fixed_url, id_links
    from .wording import plural

    app.jinja_env.filters.update(
        markdown=render_markdown,
        stored_html=stored_html,
        excerpt=plain_excerpt,
        datetime=format_datetime,
        date=format_date,
        time=format_time,
        plural=plural,
        isodatetime=iso_datetime,
    )
    app.jinja_env.globals.update(navigation_for=navigation_for, id_links=id_links,
                                 fixed_url=fixed_url,
                                 markup_tag=markup.tag,
                                 markup_status_tag=markup.status_tag,
                                 markup_entry_review_tag=markup.entry_review_tag)
    app.jinja_env.trim_blocks = True
    use_fast_html_params()
    app.jinja_env.lstrip_blocks = True


def register_commands(app: Flask) -> None:
    from .commands import register

    register(app)
