"""Configuration layering and production safety."""

import pytest

from portfolio import create_app
from portfolio.config import ConfigurationError


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
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="PostgreSQL"):
        create_app({"INSTANCE_PATH": str(tmp_path)})
    monkeypatch.setenv("PORTFOLIO_ALLOW_SQLITE_IN_PRODUCTION", "1")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["PORTFOLIO_ENV"] == "production"
