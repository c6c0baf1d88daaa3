"""What `make run` does works from a fresh clone of the committed tree: migrate, seed, serve."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(not (ROOT / ".git").exists() or not shutil.which("git"),
                    reason="needs a git checkout")
def test_fresh_clone_migrates_seeds_and_serves_the_login_page(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "FLASK_APP")}
    env.update(PYTHONPATH=str(clone), PORTFOLIO_INSTANCE_PATH=str(tmp_path / "instance"))
    flask = [sys.executable, "-m", "flask", "--app", "portfolio"]

    def run(*args):
        result = subprocess.run([*flask, *args], cwd=clone, env=env, capture_output=True,
                                text=True, timeout=300, check=False)
        assert result.returncode == 0, f"flask {' '.join(args)} failed:\n{result.stderr[-3000:]}"
        return result

    run("db", "upgrade")
    seeded = run("seed-demo", "--if-empty")
    assert "coach1@example.org" in seeded.stdout
    port = free_port()
    server = subprocess.Popen([*flask, "run", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=clone, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        body = ""
        # Wait for the condition (the server answers, or it has exited), not for a fixed time:
        # on a busy CI machine importing the app alone can take many seconds.
        deadline = time.monotonic() + 180
        while server.poll() is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/account/login",
                                            timeout=10) as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.25)
        assert server.poll() is None, "the development server exited before answering"
        assert re.search(r"<h1[^>]*>Sign in</h1>", body)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert (tmp_path / "instance" / "portfolio.sqlite").exists()
    second = run("seed-demo", "--if-empty")
    assert "left as it is" in second.stdout
