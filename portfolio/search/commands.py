"""`flask search rebuild`: rebuild the whole index from the database."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db
from .indexing import rebuild_index


@click.group("search")
def search_group():
    """The full-text search index."""


@search_group.command("rebuild")
@with_appcontext
def rebuild_command():
    """Rebuild every search row from entries, comments, evidence, goals and philosophies."""
    counts = rebuild_index()
    db.session.commit()
    click.echo("Search index rebuilt: " + ", ".join(f"{count} {kind}"
                                                    for kind, count in counts.items()))
