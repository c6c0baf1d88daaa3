"""Production without a mail server: refused unless mail is switched off on purpose."""

from __future__ import annotations

import pytest

from portfolio import create_app
from portfolio.config import ConfigurationError


@pytest.fixture
def production(tmp_path, monkeypatch):
    """Everything production needs except mail; returns a function that starts the app."""
    monkeypatch.setenv("PORTFOLIO_ENV", "production")
    monkeypatch.setenv("PORTFOLIO_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("PORTFOLIO_ALLOW_SQLITE_IN_PRODUCTION", "1")
    monkeypatch.setenv("PORTFOLIO_INSTANCE_PATH", str(tmp_path / "instance"))
    for name in ("PORTFOLIO_MAIL_SERVER", "PORTFOLIO_MAIL_DISABLED", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return lambda: create_app({"INSTANCE_PATH": str(tmp_path / "instance")})


def test_production_without_a_mail_server_refuses_to_start(production):
    with pytest.raises(ConfigurationError, match="PORTFOLIO_MAIL_DISABLED=1"):
        production()


def test_production_starts_with_a_mail_server(production, monkeypatch):
    monkeypatch.setenv("PORTFOLIO_MAIL_SERVER", "smtp.example.org")
    assert production().config["MAIL_SERVER"] == "smtp.example.org"


def test_production_starts_without_mail_only_when_told_so(production, monkeypatch):
    monkeypatch.setenv("PORTFOLIO_MAIL_DISABLED", "0")
    with pytest.raises(ConfigurationError):
        production()
    monkeypatch.setenv("PORTFOLIO_MAIL_DISABLED", "1")
    assert production().config["MAIL_DISABLED"] is True


def test_development_still_writes_mail_to_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("PORTFOLIO_ENV", raising=False)
    monkeypatch.delenv("PORTFOLIO_MAIL_SERVER", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert not app.config["MAIL_SERVER"] and not app.config["MAIL_DISABLED"]
