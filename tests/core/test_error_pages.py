"""Friendly error pages with a request id, never a stack trace; health and readiness."""

import re

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
    assert re.search(rf"<h1[^>]*>{re.escape(title)}</h1>", html)
    assert "Traceback" not in html and "secret internal detail" not in html
    assert 'href="#main-content"' in html  # still the full page with skip link


def test_method_not_allowed_on_a_real_route(client):
    assert client.delete("/account/login").status_code == 405


def test_healthz_answers_while_the_process_is_up_even_without_a_database(tmp_path):
    from portfolio import create_app
    from tests.conftest import base_config

    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path}/missing/dir/db.sqlite"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_reports_the_database_and_the_file_store(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "storage": "ok"}


def test_readyz_is_unavailable_without_a_database(tmp_path):
    from portfolio import create_app
    from tests.conftest import base_config

    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path}/missing/dir/db.sqlite"))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_readyz_is_unavailable_when_the_shared_store_is_missing(app, client):
    import shutil

    shutil.rmtree(app.config["EXPORT_FOLDER"])  # e.g. the shared mount is not there
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "ok", "storage": "unavailable"}


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/account/login"), client.get("/account/login")
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_a_sane_request_id_from_the_proxy_is_kept_and_anything_else_replaced(client):
    kept = client.get("/account/login", headers={"X-Request-ID": "f3a9c2e1-77b0-4c1e-9a51"})
    assert kept.headers["X-Request-ID"] == "f3a9c2e1-77b0-4c1e-9a51"
    for forged in ("abc", "x" * 200, "id with spaces 1234", "id\u2028unicode1234", "a=b;c"):
        response = client.get("/account/login", headers={"X-Request-ID": forged})
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"]), forged


def test_the_500_page_shows_the_request_id_a_user_can_quote(failing_app):
    response = failing_app.test_client().get("/_boom/500",
                                             headers={"X-Request-ID": "proxy-id-12345678"})
    assert response.headers["X-Request-ID"] == "proxy-id-12345678"
    assert '<code class="request-id">proxy-id-12345678</code>' in response.get_data(as_text=True)
    as_json = failing_app.test_client().get("/_boom/500", headers={"Accept": "application/json"})
    assert as_json.get_json()["request_id"] == as_json.headers["X-Request-ID"]


def test_pages_for_mistakes_show_no_request_id(failing_app):
    response = failing_app.test_client().get("/_boom/404")
    assert "request-id" not in response.get_data(as_text=True)
    assert response.headers["X-Request-ID"]
