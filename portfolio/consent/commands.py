"""`flask consent purge`: delete evidence whose consent was withdrawn and whose grace is over."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from .services import purge_due

consent_group = AppGroup("consent", help="Consent for athletes under 18.")


@consent_group.command("purge")
def purge_command() -> None:
    """Delete evidence whose consent was withdrawn longer ago than the grace period."""
    count = purge_due()
    db.session.commit()
    click.echo(f"Deleted {count} item{'s' if count != 1 else ''} whose consent was withdrawn.")
