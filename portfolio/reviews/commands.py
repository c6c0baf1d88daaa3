"""`flask send-reminders`: the daily job for overdue reviews and email digests."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..mail.services import send_outbox
from ..notifications.services import send_daily_digests
from .reminders import remind_overdue_reviews
from .services.common import local_today


@click.command("send-reminders")
@click.option("--today", "today_text", metavar="YYYY-MM-DD",
              help="Treat this date as today (UK time); for catching up after downtime.")
@with_appcontext
def send_reminders_command(today_text):
    """Remind reviewers of overdue reviews, tell leads about long-overdue ones, send digests."""
    try:
        today = date.fromisoformat(today_text) if today_text else local_today()
    except ValueError as error:
        raise click.BadParameter("use the form YYYY-MM-DD", param_hint="--today") from error
    report = remind_overdue_reviews(today)
    digests = send_daily_digests()
    db.session.commit()
    sent, waiting = send_outbox()
    click.echo(f"Overdue reminders: {report.nudged}; escalations: {report.escalated}; "
               f"daily digests: {digests}; emails sent: {sent} ({waiting} still waiting).")
