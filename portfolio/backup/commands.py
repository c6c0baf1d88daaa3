"""`flask backup create|verify|restore`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from .restore import restore_backup
from .services import MANIFEST, BackupError, create_backup, verify_backup


@click.group("backup")
def backup_group():
    """Back up and restore the database and evidence files."""


@backup_group.command("create")
@click.option("--output", type=click.Path(path_type=Path), help="Folder to write (new).")
@with_appcontext
def create_command(output):
    """Write a consistent backup with a checksum manifest."""
    try:
        folder = create_backup(output)
    except (BackupError, OSError) as error:
        raise click.ClickException(_message(error)) from error
    manifest = json.loads((folder / MANIFEST).read_text())
    click.echo(f"Backup written to {folder}: the database and "
               f"{manifest['evidence_files']} evidence file(s).")


@backup_group.command("verify")
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@with_appcontext
def verify_command(folder):
    """Check a backup's files against its manifest."""
    try:
        manifest = verify_backup(folder)
    except (BackupError, OSError) as error:
        raise click.ClickException(_message(error)) from error
    click.echo(f"Backup is intact: {len(manifest['files'])} files match their checksums.")


@backup_group.command("restore")
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(folder, yes):
    """Replace the current database and evidence files with a backup, or change nothing."""
    if not yes:
        click.confirm("This replaces ALL current data with the backup. Continue?", abort=True)
    try:
        restored = restore_backup(folder)
    except (BackupError, OSError) as error:
        raise click.ClickException(_message(error)) from error
    click.echo(f"Restored the backup of {restored.manifest['created_at']}.")
    for path in restored.leftovers:
        click.echo(f"Could not remove {path}; delete it by hand.", err=True)


def _message(error: BackupError | OSError) -> str:
    """An operator-facing line, never a traceback (an OSError here happened before any change)."""
    if isinstance(error, BackupError):
        return error.message
    where = f" ({error.filename})" if error.filename else ""
    return f"{error.strerror or error}{where}. Nothing was changed."
