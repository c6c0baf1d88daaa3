"""A local HTTP listener that receives webhook deliveries, and endpoints pointing at it."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from portfolio.extensions import db
from portfolio.webhooks import services
from portfolio.webhooks.models import SUBSCRIBABLE


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Listener:
    """A thread with http.server answering each POST with the next planned status (else 200)."""

    planned: list = field(default_factory=list)  # statuses, or (status, headers, body)
    received: list = field(default_factory=list)

    def __enter__(self) -> Listener:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with owner.lock:
                    owner.received.append(Received(self.path, dict(self.headers), body))
                    answer = owner.planned.pop(0) if owner.planned else 200
                status, headers, text = answer if isinstance(answer, tuple) \
                    else (answer, {}, b"ok")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args):
                pass

        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str = "/hooks") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


def verify(secret: str, received: Received) -> bool:
    """The receiver's check, written apart from the sender's code: HMAC-SHA256 of "t.body"."""
    fields = dict(part.split("=", 1) for part in received.headers["Portfolio-Signature"].split(","))
    expected = hmac.new(secret.encode(), fields["t"].encode() + b"." + received.body,
                        hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


def endpoint_for(lead, url: str, events=SUBSCRIBABLE):
    """A committed endpoint subscribed to `events`."""
    endpoint = services.create_endpoint(lead, url, [str(event) for event in events])
    db.session.commit()
    return endpoint


def delivery_for_privacy(s):
    """For tests/privacy: an endpoint and a queued event about the author (make_scenario)."""
    from portfolio.webhooks.models import EventType

    endpoint = services.create_endpoint(s.lead, "https://lms.example.org/hooks",
                                        [EventType.MEMBERSHIP_CHANGED])
    db.session.flush()
    s.webhook_delivery, = services.queue_event(
        EventType.MEMBERSHIP_CHANGED, {"user_id": s.author.id, "cohort_id": s.cohort.id},
        s.author.id)
    s.webhook_endpoint = endpoint
