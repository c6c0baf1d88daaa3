"""Shared fixtures: a fresh database per test on SQLite (default) or PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import contextvars
import os
import shutil

import email_validator
import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from portfolio import create_app
from portfolio.extensions import db

DATABASE_URL = os.environ.get("DATABASE_URL", "")
USE_POSTGRES = DATABASE_URL.startswith(("postgres", "postgresql"))
# CI sets this so a missing PostgreSQL fails the run instead of quietly testing SQLite only.
REQUIRE_POSTGRES = os.environ.get("PORTFOLIO_REQUIRE_POSTGRES") == "1"
KEEP_TABLES = {"alembic_version"}

# Test addresses use the reserved .test domain, which email-validator refuses by default.
if "test" in email_validator.SPECIAL_USE_DOMAIN_NAMES:
    email_validator.SPECIAL_USE_DOMAIN_NAMES.remove("test")


def pytest_configure(config):
    if REQUIRE_POSTGRES and not USE_POSTGRES:
        raise pytest.UsageError("PORTFOLIO_REQUIRE_POSTGRES=1 but DATABASE_URL is not PostgreSQL")


class IsolatedClient(FlaskClient):
    """Run each request in its own context, as a real server does.

    The test body keeps an app context open for its own database work; without this, requests
    would share that context's database session and flask-login's cached user with the test.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def base_config(tmp_path, database_uri: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "UPLOAD_FOLDER": str(tmp_path / "instance" / "uploads"),
        "EXPORT_FOLDER": str(tmp_path / "instance" / "exports"),
        "MAIL_FOLDER": str(tmp_path / "instance" / "mail"),
        "BACKUP_FOLDER": str(tmp_path / "instance" / "backups"),
        "WTF_CSRF_ENABLED": False,
        "BASE_URL": "http://portfolio.test",
        "SERVER_NAME": None,
    }


def _pg_url() -> str:
    url = DATABASE_URL
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def install_schema(uri: str) -> list[str]:
    """Create every table from the models plus the database-level rules the migrations add.

    Tests build the schema from the models so features can change them freely;
    tests/core/test_migrations.py proves the migrations produce exactly this schema.
    """
    from portfolio.database import append_only_statements
    from portfolio.models import APPEND_ONLY_TABLES
    from portfolio.search.schema import install_statements as search_statements

    engine = create_engine(uri)
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            db.metadata.create_all(connection)
            for table in APPEND_ONLY_TABLES:
                for statement in append_only_statements(table, engine.dialect.name):
                    connection.execute(text(statement))
            for statement in search_statements(engine.dialect.name):
                connection.execute(text(statement))
    finally:
        engine.dispose()
    return [table.name for table in db.metadata.sorted_tables]


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Build an empty database once per run; each test then starts from a copy of it."""
    folder = tmp_path_factory.mktemp("template")
    uri = _pg_url() if USE_POSTGRES else f"sqlite:///{folder / 'template.sqlite'}"
    try:
        tables = install_schema(uri)
    except Exception as error:
        if USE_POSTGRES:
            pytest.fail(f"PostgreSQL at DATABASE_URL is unusable: {error}")
        raise
    return {"uri": uri, "path": folder / "template.sqlite", "tables": tables}


def fresh_database_uri(database_template, tmp_path) -> str:
    if not USE_POSTGRES:
        target = tmp_path / "test.sqlite"
        shutil.copyfile(database_template["path"], target)
        return f"sqlite:///{target}"
    engine = create_engine(database_template["uri"])
    with engine.begin() as connection:
        tables = ", ".join(f'"{name}"' for name in database_template["tables"])
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return database_template["uri"]


@pytest.fixture
def make_app(database_template, tmp_path):
    """Build app instances sharing this test's fresh database (e.g. two 'hosts')."""
    uri = fresh_database_uri(database_template, tmp_path)
    apps = []

    def factory(**overrides):
        config = base_config(tmp_path, uri)
        config.update(overrides)
        app = create_app(config)
        app.test_client_class = IsolatedClient
        apps.append(app)
        with app.app_context():
            from portfolio.reference_data import ensure_reference_data

            ensure_reference_data()
            db.session.commit()
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db_session(app):
    return db.session


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """Sign a user in on the test client without going through the password hash."""
    from tests.factories import sign_in

    def do(user, on=None):
        return sign_in(on or client, user)

    return do


@pytest.fixture
def live_site(app):
    """The test app on a threaded server, for requests that really overlap (see tests/live.py).

    The test body keeps its app context for preparing data; each request the server handles
    runs in its own context with its own database session, as in production.
    """
    from tests.live import LiveSite

    with LiveSite(app) as site:
        yield site
