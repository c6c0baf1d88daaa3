"""Configuration: defaults here, then instance/config.py, then PORTFOLIO_* environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

MB = 1024 * 1024
PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent


class Defaults:
    PORTFOLIO_ENV = "development"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # None: SQLite file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    BASE_URL = "http://127.0.0.1:5000"  # used for links in emails, never the request's Host header
    HTTPS = False
    ALLOW_SQLITE_IN_PRODUCTION = False

    # Where files live. Unset: a folder of that name in the instance path. A relative path is
    # taken inside the instance path. Every app host and worker must see the same UPLOAD_FOLDER
    # and EXPORT_FOLDER (see README, "What to share between hosts").
    UPLOAD_FOLDER: str | None = None
    EXPORT_FOLDER: str | None = None
    BACKUP_FOLDER: str | None = None
    MAIL_FOLDER: str | None = None

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "portfolio_session"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # CSRF tokens are bound to the session rather than a clock, so a coach who writes for
    # hours can still save.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = True

    # Reflection sections may be 100,000 characters each; a whole entry form must fit.
    MAX_FORM_MEMORY_SIZE = 4 * MB
    MAX_FORM_PARTS = 2000
    UPLOAD_MAX_FILE_BYTES = 200 * MB
    UPLOAD_MAX_CANDIDATE_BYTES = 5 * 1024 * MB
    UPLOAD_RESUMABLE_FROM_BYTES = 5 * MB  # from this size the upload page sends pieces (tus)
    UPLOAD_PIECE_BYTES = 2 * MB  # at most this much is sent again after a dropped connection
    UPLOAD_MAX_IMAGE_PIXELS = 50_000_000
    MAX_CONTENT_LENGTH = 210 * MB  # a little over the per-file limit for multipart overhead

    # Sign-in throttle (README, "Sign-in throttle"): delays grow per account *and* address.
    LOGIN_FREE_FAILURES = 5  # failures for one account from one address before any delay
    LOGIN_FIRST_DELAY_SECONDS = 5  # then the wait doubles with each further failure ...
    LOGIN_MAX_DELAY_MINUTES = 15  # ... up to this
    LOGIN_MEMORY_HOURS = 24  # failures older than this are forgotten
    LOGIN_MAX_FAILURES_PER_ADDRESS = 100  # an hour, over all accounts: spraying
    LOGIN_ACCOUNT_ALERT_FAILURES = 20  # an hour, one account from all addresses
    RESET_MAX_PER_ADDRESS_PER_HOUR = 3
    RESET_MAX_PER_ACCOUNT_PER_HOUR = 3
    RESET_TOKEN_HOURS = 1
    INVITE_TOKEN_DAYS = 7

    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = True
    MAIL_SENDER = "Advanced Coach Portfolio <no-reply@example.org>"
    MAIL_TIMEOUT = 10
    # Production refuses to start without MAIL_SERVER unless mail is switched off explicitly.
    MAIL_DISABLED = False

    # Completion credentials (README, "Completion credentials"): the issuer's name, and the
    # Ed25519 signing key's file (unset: instance/credentials/issuer-ed25519.pem, made on first use).
    CREDENTIAL_ISSUER_NAME = "Athletics Federation Coach Development"
    CREDENTIAL_KEY_FILE: str | None = None

    # Single sign-on (README, "Single sign-on"): an OpenID Connect provider's issuer URL turns it
    # on; the client is registered at the provider with BASE_URL + /sso/callback.
    SSO_ISSUER: str | None = None
    SSO_CLIENT_ID: str | None = None
    SSO_CLIENT_SECRET: str | None = None
    SSO_PROVIDER_NAME = "your organisation"  # the button reads "Sign in with <this>"
    SSO_PROVISION = False  # create an account (in no cohort) for a verified address nobody uses
    SSO_CLOCK_SKEW_SECONDS = 60  # leeway on the ID token's exp and iat
    PASSWORD_SIGN_IN = True  # False: people sign in only through the provider

    DISPLAY_TIMEZONE = "Europe/London"
    ITEMS_PER_PAGE = 25
    EXPORT_RETENTION_DAYS = 7
    EXPORT_STALE_MINUTES = 10  # a running job silent this long goes back to the queue
    EXPORT_MAX_ATTEMPTS = 3
    EXPORT_LATE_WINDOW_WEEKS = 8  # pacing: evidence arriving this close to the end is "late"
    EXPORT_PDF_PROCESSES = 0  # child processes drawing archive PDFs; 0: one per core, at most 2
    REVIEW_ESCALATION_DAYS = 5
    # Evidence whose under-18 consent was withdrawn is hidden at once, deleted after this many days.
    CONSENT_DELETION_GRACE_DAYS = 30
    # Demo seed only; seed-demo refuses to run in production.
    DEMO_PASSWORD = "portfolio-demo"  # noqa: S105  # nosec B105


_BOOL_TRUE = {"1", "true", "yes", "on"}


def resource_folder(name: str) -> Path:
    """templates/ or static/: inside an installed package, else at the top of the checkout."""
    packaged = PACKAGE / name
    return packaged if packaged.is_dir() else CHECKOUT / name


def resolve_instance_path(overrides: dict | None = None) -> Path:
    """The instance folder: PORTFOLIO_INSTANCE_PATH, else ./instance of a checkout.

    An installed package has no checkout to put it in: it uses ./instance of the working
    directory in development and refuses to guess in production.
    """
    overrides = overrides or {}
    explicit = overrides.get("INSTANCE_PATH") or os.environ.get("PORTFOLIO_INSTANCE_PATH")
    if explicit:
        return Path(explicit).expanduser().absolute()
    environment = overrides.get("PORTFOLIO_ENV") or os.environ.get("PORTFOLIO_ENV")
    if environment == "production":
        raise ConfigurationError("PORTFOLIO_INSTANCE_PATH must be set in production "
                                 "(e.g. /var/lib/portfolio).")
    if resource_folder("templates") == CHECKOUT / "templates":
        return CHECKOUT / "instance"
    return Path.cwd() / "instance"


def _coerce(value: str, current):
    if isinstance(current, bool):
        return value.strip().lower() in _BOOL_TRUE
    if isinstance(current, int):
        return int(value)
    return value


def load_config(app, overrides: dict | None = None) -> None:
    """Fill app.config from defaults, the instance file, the environment and explicit overrides."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    _apply_environment(app.config)
    if overrides:
        app.config.update(overrides)
    _derive_paths(app)
    _ensure_secret_key(app)
    _check_production(app)


def _apply_environment(config) -> None:
    if os.environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    for key, value in os.environ.items():
        if not key.startswith("PORTFOLIO_"):
            continue
        name = key.removeprefix("PORTFOLIO_")
        if name in ("ENV",):
            config["PORTFOLIO_ENV"] = value
        elif name in config:
            config[name] = _coerce(value, config[name])
        elif name in Defaults.__dict__:
            config[name] = value


STORAGE_FOLDERS = {"UPLOAD_FOLDER": "uploads", "EXPORT_FOLDER": "exports",
                   "BACKUP_FOLDER": "backups", "MAIL_FOLDER": "mail"}


def _derive_paths(app) -> None:
    instance = Path(app.instance_path)
    config = app.config
    for key, default in STORAGE_FOLDERS.items():
        config[key] = str(instance / (config.get(key) or default))  # an absolute path wins
    uri = config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        uri = f"sqlite:///{instance / 'portfolio.sqlite'}"
    if uri.startswith("postgres://"):
        uri = "postgresql://" + uri.removeprefix("postgres://")
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri.removeprefix("postgresql://")
    config["SQLALCHEMY_DATABASE_URI"] = uri
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if uri.startswith("postgresql"):
        options.setdefault("pool_pre_ping", True)
    else:
        options.setdefault("connect_args", {"timeout": 15})
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if config.get("HTTPS"):
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
        config["PREFERRED_URL_SCHEME"] = "https"


def _ensure_secret_key(app) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if app.config["PORTFOLIO_ENV"] == "production":
        return  # _check_production refuses to start
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


class ConfigurationError(RuntimeError):
    """The configuration is unsafe for the chosen environment."""


def _check_production(app) -> None:
    config = app.config
    if config["PORTFOLIO_ENV"] != "production":
        return
    if not config.get("SECRET_KEY"):
        raise ConfigurationError("PORTFOLIO_SECRET_KEY must be set in production.")
    is_sqlite = config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    if is_sqlite and not config.get("ALLOW_SQLITE_IN_PRODUCTION"):
        raise ConfigurationError(
            "Production needs DATABASE_URL pointing at PostgreSQL "
            "(set PORTFOLIO_ALLOW_SQLITE_IN_PRODUCTION=1 to override)."
        )
    if not config.get("MAIL_SERVER") and not config.get("MAIL_DISABLED"):
        raise ConfigurationError(
            "Production needs PORTFOLIO_MAIL_SERVER for invitations and password resets "
            "(set PORTFOLIO_MAIL_DISABLED=1 to run without email)."
        )
