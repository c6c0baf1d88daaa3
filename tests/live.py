"""Really overlapping requests: a threaded live server and one cookie-keeping browser per thread.

Concurrency tests start the test app on werkzeug's threaded server (a free port on 127.0.0.1),
give each thread its own signed-in `Browser`, and release the threads together through a
`threading.Barrier`, so the requests overlap inside the server as two tabs or a double click do.
"""

from __future__ import annotations

import http.client
import re
import threading
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from werkzeug.serving import make_server

TIMEOUT_SECONDS = 60


@dataclass
class Answer:
    status: int
    text: str
    headers: dict

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    def json(self):
        import json

        return json.loads(self.text)


class Browser:
    """One browser (its own cookies, its own connection per request), never following redirects."""

    def __init__(self, base_url: str, cookies: dict[str, str] | None = None):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies = dict(cookies or {})

    def get(self, path: str) -> Answer:
        return self._send("GET", path, None)

    def post(self, path: str, data: dict) -> Answer:
        return self._send("POST", path, urlencode(data, doseq=True).encode())

    def _send(self, method: str, path: str, body: bytes | None) -> Answer:
        headers = {"Accept": "text/html,application/json"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_SECONDS)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return Answer(response.status, text,
                          {k.lower(): v for k, v in response.headers.items()})
        finally:
            connection.close()


class LiveSite:
    """The app served by werkzeug's threaded server on a free port for the test's duration."""

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
        self.thread.join(timeout=10)

    def browser_for(self, user) -> Browser:
        """A browser already signed in as `user` (the session cookie a sign-in would set)."""
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        cookie = serializer.dumps({"_user_id": user.session_token, "_fresh": True})
        return Browser(self.url, {self.app.config["SESSION_COOKIE_NAME"]: cookie})


def together(count: int, action) -> list:
    """Run action(n) in `count` threads released at once by a barrier; return their results.

    An exception in a thread is returned in its place, so the test can show it.
    """
    barrier = threading.Barrier(count, timeout=TIMEOUT_SECONDS)
    results: list = [None] * count

    def run(number):
        try:
            barrier.wait()
            results[number] = action(number)
        except Exception as error:  # noqa: BLE001 - reported to the test, not swallowed
            results[number] = error

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_SECONDS * 2)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return results


def hidden_value(html: str, name: str) -> str | None:
    """The value of the form field `name` on a page (e.g. the lock_version after a conflict)."""
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html)
    return match.group(1) if match else None
