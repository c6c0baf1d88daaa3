"""The webhook loop of the background worker, and `flask webhooks deliver` for cron or by hand.

It runs in its own thread beside the export and mail loops, so a slow endpoint never holds
back an export or a password reset.
"""

from __future__ import annotations

import logging
import threading
import time

import click
from flask import Flask
from flask.cli import AppGroup

from ..extensions import db
from .delivery import deliver_due, prune_finished

log = logging.getLogger(__name__)
PRUNE_EVERY_SECONDS = 3600


def deliver_webhooks_once(app: Flask, *, include_waiting: bool = False):
    """One delivery pass in its own app context; return its report (None after an error)."""
    with app.app_context():
        try:
            return deliver_due(include_waiting=include_waiting)
        except Exception:  # noqa: BLE001 - keep the worker alive through a database blip
            log.exception("webhook delivery pass failed; the deliveries stay queued")
            db.session.rollback()
            return None
        finally:
            db.session.remove()


def _prune(app: Flask) -> None:
    with app.app_context():
        try:
            prune_finished()
        except Exception:  # noqa: BLE001
            log.exception("pruning old webhook deliveries failed")
            db.session.rollback()
        finally:
            db.session.remove()


def run_webhook_worker(app: Flask, *, stop: threading.Event, poll_seconds: float = 2.0,
                       once: bool = False) -> int:
    """Deliver queued events until stopped (or, with once, one pass); return how many."""
    delivered, last_prune = 0, None  # None: not yet (monotonic time starts anywhere)
    while not stop.is_set():
        if last_prune is None or time.monotonic() - last_prune >= PRUNE_EVERY_SECONDS:
            _prune(app)
            last_prune = time.monotonic()
        report = deliver_webhooks_once(app)
        delivered += report.delivered if report else 0
        if once:
            break
        stop.wait(poll_seconds)
    return delivered


def start_webhook_thread(app: Flask, *, stop: threading.Event,
                         poll_seconds: float = 2.0) -> threading.Thread:
    """Run the webhook loop in a daemon thread of this process."""
    thread = threading.Thread(target=run_webhook_worker, args=(app,),
                              kwargs={"stop": stop, "poll_seconds": poll_seconds},
                              name="webhook-worker", daemon=True)
    thread.start()
    return thread


webhooks_cli = AppGroup("webhooks", help="Webhook deliveries to the federation's systems.")


@webhooks_cli.command("deliver")
@click.option("--all", "include_waiting", is_flag=True,
              help="Also send deliveries waiting for a retry, now.")
def deliver_command(include_waiting: bool) -> None:
    """Send the webhook deliveries that are due, once."""
    from flask import current_app

    report = deliver_webhooks_once(current_app._get_current_object(),
                                   include_waiting=include_waiting)
    if report is None:
        raise click.ClickException("The delivery pass failed; see the log.")
    click.echo(f"Webhooks: {report.delivered} delivered, {report.failed} failed attempts.")
