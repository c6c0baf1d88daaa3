"""Configuration layering and production safety."""

import pytest

from portfolio import create_app
from portfolio.config import ConfigurationError
from tests.conftest import USE_POSTGRES


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    first = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    key_file = tmp_path / "secret_key"
    assert key_file.exists() and oct(key_file.stat().st_mode)[-3:] == "600"
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'portfolio.sqlite'}"


def test_environment_overrides_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db.internal/portfolio")
    monkeypatch.setenv("PORTFOLIO_UPLOAD_MAX_FILE_BYTES", "1048576")
    monkeypatch.setenv("PORTFOLIO_HTTPS", "1")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://u:p@db.internal")
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    assert app.config["UPLOAD_MAX_FILE_BYTES"] == 1048576
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_instance_config_file_is_read(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "config.py").write_text("ITEMS_PER_PAGE = 7\n")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["ITEMS_PER_PAGE"] == 7


def test_production_refuses_to_start_without_a_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTFOLIO_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db/portfolio")
    monkeypatch.delenv("PORTFOLIO_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_production_refuses_sqlite_unless_told_otherwise(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTFOLIO_ENV", "production")
    monkeypatch.setenv("PORTFOLIO_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("PORTFOLIO_MAIL_SERVER", "smtp.example.org")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="PostgreSQL"):
        create_app({"INSTANCE_PATH": str(tmp_path)})
    monkeypatch.setenv("PORTFOLIO_ALLOW_SQLITE_IN_PRODUCTION", "1")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["PORTFOLIO_ENV"] == "production"


def test_every_storage_folder_is_taken_from_the_environment(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    for key in ("UPLOAD_FOLDER", "EXPORT_FOLDER", "BACKUP_FOLDER", "MAIL_FOLDER"):
        monkeypatch.setenv(f"PORTFOLIO_{key}", str(shared / key.lower()))
    monkeypatch.setenv("PORTFOLIO_INSTANCE_PATH", str(tmp_path / "host"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.instance_path == str(tmp_path / "host")
    for key in ("UPLOAD_FOLDER", "EXPORT_FOLDER", "BACKUP_FOLDER", "MAIL_FOLDER"):
        assert app.config[key] == str(shared / key.lower())


def test_storage_folders_default_to_the_instance_path_and_relative_ones_stay_inside(
        tmp_path, monkeypatch):
    monkeypatch.setenv("PORTFOLIO_EXPORT_FOLDER", "big-disk/exports")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["UPLOAD_FOLDER"] == str(tmp_path / "uploads")
    assert app.config["BACKUP_FOLDER"] == str(tmp_path / "backups")
    assert app.config["EXPORT_FOLDER"] == str(tmp_path / "big-disk" / "exports")


def test_a_checkout_uses_its_own_instance_folder_wherever_it_is_run_from(tmp_path, monkeypatch):
    from portfolio.config import CHECKOUT

    monkeypatch.delenv("PORTFOLIO_INSTANCE_PATH", raising=False)
    monkeypatch.chdir(tmp_path)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    assert app.instance_path == str(CHECKOUT / "instance")
    assert app.template_folder == str(CHECKOUT / "templates")


def test_production_needs_an_explicit_instance_path(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTFOLIO_ENV", "production")
    monkeypatch.setenv("PORTFOLIO_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db/portfolio")
    monkeypatch.setenv("PORTFOLIO_MAIL_DISABLED", "1")
    monkeypatch.delenv("PORTFOLIO_INSTANCE_PATH", raising=False)
    with pytest.raises(ConfigurationError, match="PORTFOLIO_INSTANCE_PATH"):
        create_app()
    monkeypatch.setenv("PORTFOLIO_INSTANCE_PATH", str(tmp_path / "var"))
    assert create_app().instance_path == str(tmp_path / "var")


@pytest.mark.postgres_only
@pytest.mark.skipif(not USE_POSTGRES, reason="a PostgreSQL setting")
def test_postgresql_connections_run_without_jit(app):
    # Compiling the search's visibility filter took 1.2 s of a 1.23 s statement.
    from sqlalchemy import text

    from portfolio.extensions import db

    assert db.session.scalar(text("SHOW jit")) == "off"
