"""Real-browser fixtures: Debian's Chromium driven by Playwright against a live server.

In CI (CI=true or PORTFOLIO_REQUIRE_BROWSER=1) a missing browser fails the run; elsewhere the
browser tests are skipped with a clear reason so `make test` works on a machine without it.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("PORTFOLIO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_BROWSER = Path(CHROMIUM).exists()
REQUIRE_BROWSER = (os.environ.get("PORTFOLIO_REQUIRE_BROWSER") == "1"
                   or os.environ.get("CI", "").lower() in ("1", "true"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
# Every `expect` waits on its condition; the bound only decides when a wait counts as failed.
# Playwright's 5 s was reached on a two-core CI machine running both test passes at once (a
# service worker answering from its cache after a reload); a passing test never waits longer.
expect.set_options(timeout=20_000)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}


def pytest_configure(config):
    # Keep a Playwright trace of every failing browser test for diagnosis.
    if getattr(config.option, "tracing", "off") == "off":
        config.option.tracing = "retain-on-failure"
    if getattr(config.option, "output", "test-results") == "test-results":
        config.option.output = str(ARTIFACTS / "traces")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if not HAVE_BROWSER and not REQUIRE_BROWSER:
                item.add_marker(pytest.mark.skip(
                    reason=f"Chromium not found at {CHROMIUM}; install it to run "
                           "browser tests (apt-get install chromium)"))


@pytest.fixture(autouse=True)
def _browser_available():
    if not HAVE_BROWSER and REQUIRE_BROWSER:
        pytest.fail(f"Chromium is required in CI but was not found at {CHROMIUM}")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS,
            "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP, "locale": "en-GB",
            "timezone_id": "Europe/London"}


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


@pytest.fixture
def live_server(live_app):
    live_app.config["BASE_URL"] = "http://placeholder"
    with LiveServer(live_app) as server:
        live_app.config["BASE_URL"] = server.url
        yield server


@pytest.fixture
def db_ctx(live_app):
    """An app context for preparing data directly in the live server's database."""
    from portfolio.extensions import db

    with live_app.app_context():
        yield db.session
        db.session.rollback()


@pytest.fixture(scope="module")
def module_app(database_template, tmp_path_factory):
    """One app and fresh database shared by every test of a module (journeys build on each other)."""
    from portfolio import create_app
    from portfolio.extensions import db
    from portfolio.reference_data import ensure_reference_data
    from tests.conftest import IsolatedClient, base_config, fresh_database_uri

    tmp_path = tmp_path_factory.mktemp("live")
    config = base_config(tmp_path, fresh_database_uri(database_template, tmp_path))
    config.update(WTF_CSRF_ENABLED=True)
    app = create_app(config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        ensure_reference_data()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def module_server(module_app):
    with LiveServer(module_app) as server:
        module_app.config["BASE_URL"] = server.url
        yield server


@pytest.fixture(scope="module")
def module_worker(module_app):
    """Start the export worker the live server's jobs need (when the test says), stop it after.

    Starting it on demand lets a test see a job's page while the job is still queued.
    """
    from portfolio.exports.worker import start_background_worker

    stop, threads = threading.Event(), []

    def start():
        if not threads:
            threads.append(start_background_worker(module_app, poll_seconds=0.2, stop=stop))

    yield start
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
