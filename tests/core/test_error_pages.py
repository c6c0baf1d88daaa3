"""Friendly error pages, never a stack trace; the health check reports the database."""

import pytest
from flask import abort
from sqlalchemy.exc import OperationalError


@pytest.fixture
def failing_app(make_app):
    app = make_app()

    @app.route("/_boom/<int:code>")
    def boom(code):
        if code == 500:
            raise RuntimeError("secret internal detail")
        if code == 503:
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))
        abort(code)

    return app


@pytest.mark.parametrize("code,title", [
    (400, "Something went wrong with that request"),
    (403, "You do not have access to this page"),
    (404, "Page not found"),
    (405, "That action is not allowed here"),
    (413, "That was too large"),
    (429, "Too many attempts"),
    (500, "Sorry, there is a problem with the service"),
    (503, "Sorry, the service is unavailable"),
])
def test_error_pages_are_friendly(failing_app, code, title):
    response = failing_app.test_client().get(f"/_boom/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert f"<h1>{title}</h1>" in html
    assert "Traceback" not in html and "secret internal detail" not in html
    assert 'href="#main-content"' in html  # still the full page with skip link


def test_method_not_allowed_on_a_real_route(client):
    assert client.delete("/account/login").status_code == 405


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(tmp_path):
    from portfolio import create_app
    from tests.conftest import base_config

    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path}/missing/dir/db.sqlite"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
