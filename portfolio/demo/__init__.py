"""Demo data for `flask seed-demo` (development only): accounts, then each feature's content.

Each feature's seeder runs in order, must be idempotent, and only flushes.
"""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ..auth.models import User
from ..auth.services import create_user
from ..extensions import db
from ..reference_data import ensure_reference_data
from . import consent, entries, evidence, feedback, observations, programmes, reviews, showcases
from .scale import ScaleOptions, scale_framework_id, seed_scale

DEMO_ACCOUNTS = [
    ("admin@example.org", "Alex Morgan", "admin"),
    ("lead@example.org", "Priya Shah", "programme lead"),
    ("developer@example.org", "Sam Okafor", "coach developer"),
    ("coach1@example.org", "Jordan Reid", "candidate"),
    ("coach2@example.org", "Megan Lloyd", "candidate"),
    ("coach3@example.org", "Tom Fletcher", "candidate"),
]

# Each feature's demo content lives in portfolio/demo/<name>.py as `seed(users) -> bool`,
# run in this order (later ones build on earlier ones).
SEEDER_MODULES = (programmes, entries, evidence, reviews, showcases, feedback, observations,
                  consent)


def seed_accounts() -> tuple[dict[str, User], bool]:
    """Create the six demo accounts if missing; return them by email and whether any was new."""
    password = current_app.config["DEMO_PASSWORD"]
    users, created = {}, False
    for email, name, role in DEMO_ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = create_user(email, name, password, is_admin=role == "admin",
                               is_programme_lead=role == "programme lead")
            created = True
        users[email] = user
    return users, created


def seed_demo() -> bool:
    """Seed everything; return True if anything was created."""
    users, created = seed_accounts()
    for module in SEEDER_MODULES:
        created = bool(module.seed(users)) or created
    db.session.flush()
    return created


@click.command("seed-scale")
@click.option("--years", default=2, show_default=True)
@click.option("--cohorts", default=10, show_default=True, help="Cohorts per year.")
@click.option("--candidates", default=60, show_default=True, help="Per cohort.")
@click.option("--entries", default=40, show_default=True, help="Per candidate.")
@click.option("--seed", default=2026, show_default=True, help="Random seed.")
@click.option("--no-files", is_flag=True, help="Skip evidence files on disk.")
@with_appcontext
def seed_scale_command(years, cohorts, candidates, entries, seed, no_files):
    """Generate a deterministic national-scale dataset (development only)."""
    if current_app.config["PORTFOLIO_ENV"] == "production":
        raise click.ClickException("seed-scale is refused in production.")
    started = time.perf_counter()
    ensure_reference_data()
    options = ScaleOptions(years, cohorts, candidates, entries, seed, not no_files)
    counts = seed_scale(options, scale_framework_id())
    db.session.commit()
    summary = ", ".join(f"{count:,} {kind}" for kind, count in counts.items())
    click.echo(f"Created {summary} in {time.perf_counter() - started:.1f} s.")


def register_demo_commands(app) -> None:
    app.cli.add_command(seed_scale_command)
