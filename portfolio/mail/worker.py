"""The mail loop of the background worker: deliver what is due, then wait a moment.

It runs in its own thread beside the export loop (in `flask worker` and in `make run`), so a
long archive never holds back a password reset.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

from ..extensions import db
from .services import deliver_due

log = logging.getLogger(__name__)


def deliver_mail_once(app: Flask):
    """One delivery pass in its own app context; return its report (None after an error)."""
    with app.app_context():
        try:
            return deliver_due()
        except Exception:  # noqa: BLE001 - keep the worker alive through a database blip
            log.exception("mail delivery pass failed; the mail stays queued")
            db.session.rollback()
            return None
        finally:
            db.session.remove()


def run_mail_worker(app: Flask, *, stop: threading.Event, poll_seconds: float = 2.0,
                    once: bool = False) -> int:
    """Deliver queued mail until stopped (or, with once, one pass); return messages sent."""
    sent = 0
    while not stop.is_set():
        report = deliver_mail_once(app)
        sent += report.sent if report else 0
        if once:
            break
        stop.wait(poll_seconds)
    return sent


def start_mail_thread(app: Flask, *, stop: threading.Event,
                      poll_seconds: float = 2.0) -> threading.Thread:
    """Run the mail loop in a daemon thread of this process."""
    thread = threading.Thread(target=run_mail_worker, args=(app,),
                              kwargs={"stop": stop, "poll_seconds": poll_seconds},
                              name="mail-worker", daemon=True)
    thread.start()
    return thread
