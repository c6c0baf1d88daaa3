"""gunicorn on loopback, signed-in HTTP sessions, and the memory of the server's workers."""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

HOST = "127.0.0.1"
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, target: str, port: int, workers: int = 2) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"{HOST}:{port}",
         "--timeout", "300", "--log-level", "warning", target],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_until_up(port: int, path: str) -> None:
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"server on port {port} did not start")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


class Session:
    """A signed-in browser-like session: one session cookie plus the forms' CSRF tokens."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = ""

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=600)
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("portfolio_session="):
                self.cookie = value.split(";", 1)[0]
        return response, data

    def csrf(self, path) -> str:
        _, page = self.request("GET", path)
        match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
        if not match:
            sys.exit(f"no CSRF token on {path}")
        return match.group(1).decode()

    def login(self, email, password):
        token = self.csrf("/account/login")
        body = urllib.parse.urlencode({"csrf_token": token, "email": email,
                                       "password": password})
        response, _ = self.request("POST", "/account/login", body,
                                   {"Content-Type": "application/x-www-form-urlencoded"})
        if response.status != 302:
            sys.exit(f"could not sign in as {email}: {response.status}")
        return self

    def post_form(self, form_path: str, action: str):
        """POST a form's CSRF token to `action`, as the button on `form_path` would."""
        body = urllib.parse.urlencode({"csrf_token": self.csrf(form_path)})
        return self.request("POST", action, body,
                            {"Content-Type": "application/x-www-form-urlencoded"})


def worker_pids(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def status_mb(pid: int, field: str) -> float:
    """VmRSS (resident now) or VmHWM (peak resident) of a process, in MB."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except FileNotFoundError:
        return 0.0
    for line in lines:
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0
