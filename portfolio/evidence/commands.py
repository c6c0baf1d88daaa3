"""`flask storage check [--repair]`: compare evidence files on disk with the evidence rows."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext

from .. import storage
from ..wording import plural
from . import queries

storage_group = AppGroup("storage", help="Evidence files on disk.")


@storage_group.command("check")
@click.option("--repair", is_flag=True,
              help="Finish interrupted moves, delete orphan files and abandoned uploads.")
@click.option("--grace-minutes", default=60, show_default=True, type=click.IntRange(min=0),
              help="Leave staged uploads younger than this alone (they may still be running).")
@with_appcontext
def check_command(repair: bool, grace_minutes: int) -> None:
    """Report orphan files and evidence rows whose file is missing."""
    expected = queries.expected_files()
    report = storage.check(expected, repair=repair, grace_seconds=grace_minutes * 60)
    click.echo(f"Evidence storage in {report.folder}: {report.files} stored files for "
               f"{len(expected)} file evidence rows.")
    _section("Orphan files (no evidence row)", [str(p.relative_to(report.folder))
                                                for p in report.orphans])
    by_key = queries.evidence_by_key([key for key, _ in report.missing])
    _section("Evidence rows whose file is missing", [
        f"evidence {by_key[key].id} (owner {by_key[key].owner_id})"
        f"{' thumbnail' if variant else ''}" for key, variant in report.missing])
    _section("Uploads committed but not yet moved into place", [p.name for p in report.waiting])
    _section("Abandoned uploads (never committed)", [p.name for p in report.abandoned])
    if report.in_progress:
        click.echo(f"{plural(len(report.in_progress), 'upload')} in progress left alone.")
    if report.unrecognised:
        _section("Unrecognised files (left alone)", [str(p) for p in report.unrecognised])
    for line in report.repaired:
        click.echo(f"Repaired: {line}")
    remaining = len(report.missing) if repair else report.problems
    if remaining:
        hint = "" if repair else " Run with --repair to fix what can be fixed."
        click.echo(f"{plural(remaining, 'problem')} found.{hint}")
        raise SystemExit(1)
    click.echo("Storage is consistent." if not report.repaired else "Storage repaired.")


def _section(title: str, lines: list[str]) -> None:
    if not lines:
        return
    click.echo(f"{title}: {len(lines)}")
    for line in lines:
        click.echo(f"  {line}")
