"""The README's deployment from an installed wheel: no checkout, gunicorn from another directory.

The wheel is built from a copy of the source, installed into a fresh virtualenv outside the
checkout, and served by gunicorn with a working directory that holds nothing. The new virtualenv
borrows the project's installed dependencies (a path line, so the checkout's editable install is
not picked up): the project itself comes only from the wheel, so its templates, static files and
migrations must be inside it.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "portfolio", "templates",
           "static")
PASSWORD = "deploy-test-password"  # noqa: S105

EVIDENCE_SCRIPT = """
import hashlib, sys
from portfolio import create_app, storage
from portfolio.auth.models import User
from portfolio.evidence.models import Evidence
from portfolio.extensions import db
from sqlalchemy import select

data = b"%PDF-1.4 installed evidence"
app = create_app()
with app.app_context():
    owner = db.session.scalar(select(User).where(User.email == sys.argv[1]))
    key = storage.new_key()
    path = storage.final_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    evidence = Evidence(owner_id=owner.id, kind="file", title="Session plan",
                        original_filename="plan.pdf", storage_key=key,
                        media_type="application/pdf", category="document",
                        size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    db.session.add(evidence)
    db.session.commit()
    print(evidence.id)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args, *, cwd, env=None, timeout=180) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout, check=False)
    assert result.returncode == 0, (f"{' '.join(map(str, args))} failed:\n"
                                    f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A virtualenv outside the checkout with the project installed from its wheel only."""
    base = tmp_path_factory.mktemp("deploy")
    source = base / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, source / name)
    wheels = base / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
         "--no-build-isolation", "-w", str(wheels), str(source)], cwd=base)
    [wheel] = wheels.glob("*.whl")
    venv = base / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=base)
    python = venv / "bin" / "python"
    site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    cwd=base).strip())
    (site / "project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-index", str(wheel)], cwd=base)
    return {"base": base, "python": python, "site": site, "wheel": wheel}


@pytest.fixture
def deployment(installed, tmp_path):
    """Environment and working directory as the README's systemd units set them up."""
    workdir = tmp_path / "srv"  # gunicorn's working directory: nothing of the project in it
    workdir.mkdir()
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "FLASK_APP", "PYTHONPATH", "VIRTUAL_ENV")
           and not key.startswith("PORTFOLIO_")}
    env.update(
        PORTFOLIO_ENV="production",
        PORTFOLIO_SECRET_KEY="deploy-test-" + "s" * 40,
        PORTFOLIO_INSTANCE_PATH=str(tmp_path / "var" / "portfolio"),
        PORTFOLIO_ALLOW_SQLITE_IN_PRODUCTION="1",
        PORTFOLIO_MAIL_DISABLED="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'portfolio.sqlite'}",
    )
    return {"workdir": workdir, "env": env, **installed}


def test_the_wheel_holds_templates_static_files_and_migrations(installed):
    import zipfile

    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for expected in ("portfolio/templates/base.html", "portfolio/templates/auth/login.html",
                     "portfolio/templates/errors/error.html", "portfolio/static/css/app.css",
                     "portfolio/migrations/env.py", "portfolio/migrations/alembic.ini",
                     "portfolio/wsgi.py"):
        assert expected in names
    assert any(name.startswith("portfolio/migrations/versions/0001") for name in names)
    assert not any(name.startswith(("instance/", "portfolio/instance/")) for name in names)


def test_installed_package_migrates_and_serves_pages_static_files_and_evidence(deployment):
    python, workdir, env = str(deployment["python"]), deployment["workdir"], deployment["env"]
    located = run([python, "-c", "import portfolio; print(portfolio.__file__)"],
                  cwd=workdir, env=env).strip()
    assert Path(located).is_relative_to(deployment["site"]), located
    assert not Path(located).is_relative_to(ROOT)

    flask = [python, "-m", "flask", "--app", "portfolio"]
    run([*flask, "db", "upgrade"], cwd=workdir, env=env)
    run([*flask, "create-user", "--email", "coach@example.org", "--name", "Casey Coach",
         "--password", PASSWORD], cwd=workdir, env=env)
    evidence_id = run([python, "-c", EVIDENCE_SCRIPT, "coach@example.org"],
                      cwd=workdir, env=env).strip().splitlines()[-1]

    port = free_port()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "--access-logfile", "-", "portfolio.wsgi:app"],
        cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        site = Site(f"http://127.0.0.1:{port}")
        site.wait_until_up()
        login = site.get("/account/login")
        assert login.status == 200 and re.search(r"<h1[^>]*>Sign in</h1>", login.text)
        assert re.fullmatch(r"[0-9a-f]{32}", login.headers["X-Request-ID"])
        css = site.get("/static/css/app.css")
        assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
        assert site.get("/readyz").status == 200
        assert site.get("/no-such-page").status == 404  # the error page renders too

        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login.text)[1]
        signed_in = site.post("/account/login", {"csrf_token": token, "password": PASSWORD,
                                                 "email": "coach@example.org"})
        assert signed_in.status == 200  # followed the redirect away from the sign-in form
        download = site.get(f"/evidence/{evidence_id}/download")
        assert download.status == 200
        assert download.body == b"%PDF-1.4 installed evidence"
    finally:
        server.terminate()
        log, _ = server.communicate(timeout=20)
    assert f"GET /evidence/{evidence_id}/download" in log  # the access log is on
    instance = Path(env["PORTFOLIO_INSTANCE_PATH"])
    assert (instance / "uploads").is_dir()
    assert not (deployment["site"] / "instance").exists()
    assert not (workdir / "instance").exists()


class Page:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body
        self.text = body.decode("utf-8", "replace")


class Site:
    """A cookie-keeping client that follows redirects, as a browser does."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> Page:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict) -> Page:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base + path, data=body))

    def _open(self, request) -> Page:
        try:
            with self.opener.open(request, timeout=30) as response:
                return Page(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Page(error.code, error.headers, error.read())

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 180  # a busy CI machine imports slowly
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz").status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        pytest.fail("gunicorn did not answer /healthz within 180 s")
