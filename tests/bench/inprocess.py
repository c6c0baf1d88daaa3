"""In-process mode: each page's server time with no HTTP server and no concurrency.

One thread calls the WSGI app of `portfolio.wsgi` (the one gunicorn serves) directly (the environ is built before the clock starts), after a
warm-up, and SQLAlchemy's before/after_cursor_execute events count each request's statements
and time spent in the database. Run as `python -m tests.bench.inprocess IDS_JSON REQUESTS`
with the benchmark's environment; prints one JSON object.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time

from sqlalchemy import event
from werkzeug.test import EnvironBuilder

from portfolio.extensions import db
from tests.bench.bare_app import app as bare_app
from tests.bench.pages import credentials, pages

WARM_UP = 10
MAX_SECONDS_PER_PAGE = 60.0


class StatementClock:
    """Per-request statement count and database milliseconds, from cursor events."""

    def __init__(self, engine):
        self.engine = engine
        self.count = 0
        self.seconds = 0.0
        self._started: list[float] = []

    def _before(self, *args):
        self._started.append(time.perf_counter())

    def _after(self, *args):
        self.count += 1
        self.seconds += time.perf_counter() - self._started.pop()

    def reset(self) -> None:
        self.count, self.seconds, self._started = 0, 0.0, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


def sign_in(app, email: str, password: str) -> str:
    """A real sign-in (GET the form, POST it with its CSRF token); return the Cookie header."""
    client = app.test_client()
    page = client.get("/account/login").get_data()
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    if not token:
        sys.exit("no CSRF token on the sign-in page")
    response = client.post("/account/login", data={
        "csrf_token": token.group(1).decode(), "email": email, "password": password})
    if response.status_code != 302:
        sys.exit(f"could not sign in as {email}: {response.status_code}")
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return f"{cookie.key}={cookie.value}"


def call(app, path: str, cookie: str | None) -> tuple[int, float]:
    """One request straight through the WSGI callable; return the status and seconds."""
    headers = {"Cookie": cookie} if cookie else {}
    environ = EnvironBuilder(path=path, headers=headers,
                             environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_environ()
    status = []
    started = time.perf_counter()
    body = app(environ, lambda code, _headers, _exc=None: status.append(code))
    try:
        for _chunk in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return int(status[0].split()[0]), time.perf_counter() - started


class PageFailed(Exception):
    """A page did not answer 200: it is reported as not measured, and the others still run."""


def measure(app, clock: StatementClock | None, path: str, cookie: str | None,
            requests: int) -> dict:
    for _ in range(WARM_UP):
        status, _ = call(app, path, cookie)
        if status != 200:
            raise PageFailed(f"answered HTTP {status} during warm-up")
    times, counts, db_times = [], [], []
    deadline = time.perf_counter() + MAX_SECONDS_PER_PAGE
    while len(times) < requests and (len(times) < 5 or time.perf_counter() < deadline):
        if clock:
            clock.reset()
        status, seconds = call(app, path, cookie)
        if status != 200:
            raise PageFailed(f"answered HTTP {status}")
        times.append(seconds * 1000)
        if clock:
            counts.append(clock.count)
            db_times.append(clock.seconds * 1000)
    result = {"requests": len(times), "median_ms": statistics.median(times),
              "min_ms": min(times), "max_ms": max(times)}
    if clock:
        result.update(statements=statistics.median(counts), statements_min=min(counts),
                      statements_max=max(counts), db_ms_median=statistics.median(db_times))
    return result


def main(ids: dict, requests: int) -> None:
    # The app gunicorn serves, set up as its entry point sets it up (portfolio/wsgi.py).
    from portfolio.wsgi import app
    with app.app_context():
        engine = db.engine
    cookies = {role: sign_in(app, email, password)
               for role, (email, password) in credentials(ids).items()}
    results = []
    with StatementClock(engine) as clock:
        for page in pages(ids):
            target, page_clock = (bare_app, None) if page.role == "bare" else (app, clock)
            cookie = cookies.get(page.role)
            try:
                figures = measure(target.wsgi_app, page_clock, page.path, cookie, requests)
            except PageFailed as failure:
                figures = {"error": str(failure)}
            results.append({"key": page.key, "name": page.name, "path": page.path,
                            "role": page.role, "baseline": page.baseline, **figures})
            print(f"  in-process: {page.name}", file=sys.stderr, flush=True)
    print(json.dumps({"pages": results, "warm_up": WARM_UP}))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]), int(sys.argv[2]))
