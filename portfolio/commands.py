"""Command-line tools: `flask --app portfolio <command>`."""

from __future__ import annotations

import functools

import click
from flask import current_app, has_app_context
from flask.cli import ScriptInfo, with_appcontext
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from werkzeug.serving import run_simple

from .auth.models import User
from .auth.services import create_user
from .backup.commands import backup_group
from .demo import DEMO_ACCOUNTS, register_demo_commands, seed_demo
from .errors import DomainError
from .exports.worker import start_background_worker
from .extensions import db
from .mail.services import send_outbox
from .reference_data import ensure_reference_data
from .reviews.progress_table import progress_group


def register(app) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(mail_group)
    app.cli.add_command(run_demo_command)
    app.cli.add_command(backup_group)
    app.cli.add_command(progress_group)
    register_demo_commands(app)
    announce_target_before(app.cli)


def describe_target(app) -> str:
    """Which instance and database a command works on (the password hidden)."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)
    return (f"Instance: {app.instance_path} (uploads: {app.config['UPLOAD_FOLDER']}); "
            f"database: {url}")


def announce_target_before(group: click.Group) -> None:
    """Make every command say first, on stderr, which instance and database it uses.

    Run from the wrong directory or with the wrong environment, a command would otherwise
    quietly work on another instance (an empty store, a fresh SQLite file).
    """
    for command in group.commands.values():
        if hasattr(command, "on_load"):  # `flask db`: its commands load when first used
            command.on_load.append(announce_target_before)
        elif isinstance(command, click.Group):
            announce_target_before(command)
        elif command.callback and not getattr(command.callback, "announces_target", False):
            command.callback = _announcing(command.callback)


def _announcing(callback):
    @functools.wraps(callback)
    def announced(*args, **kwargs):
        info = click.get_current_context().find_object(ScriptInfo)
        app = current_app if has_app_context() else (info.load_app() if info else None)
        if app is not None:
            click.echo(describe_target(app), err=True)
        return callback(*args, **kwargs)

    announced.announces_target = True
    return announced


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", "display_name", prompt="Display name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--admin", is_flag=True, help="Grant the admin role.")
@click.option("--lead", is_flag=True, help="Grant the programme lead role.")
@with_appcontext
def create_user_command(email, display_name, password, admin, lead):
    """Create an account that can sign in straight away."""
    try:
        user = create_user(email, display_name, password, is_admin=admin, is_programme_lead=lead)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created {user.email}" + (" (admin)" if admin else "") + (" (lead)" if lead else ""))


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed a database that has no accounts yet.")
@with_appcontext
def seed_demo_command(if_empty):
    """Create the demo accounts and programme (safe to run twice; refused in production)."""
    if current_app.config["PORTFOLIO_ENV"] == "production":
        raise click.ClickException("seed-demo is refused in production.")
    ensure_reference_data()
    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        db.session.commit()
        click.echo("Accounts exist already; demo data left as it is.")
        _print_demo_logins()
        return
    created = seed_demo()
    db.session.commit()
    click.echo("Demo data ready." if created else "Demo data already present; nothing changed.")
    _print_demo_logins()


def _print_demo_logins():
    password = current_app.config["DEMO_PASSWORD"]
    click.echo(f"Demo sign-ins (password: {password}):")
    for email, _name, role in DEMO_ACCOUNTS:
        click.echo(f"  {email:<26} {role}")


@click.group("mail")
def mail_group():
    """Outgoing mail."""


@mail_group.command("send-outbox")
@with_appcontext
def send_outbox_command():
    """Send every queued message that has not gone out yet."""
    sent, pending = send_outbox()
    click.echo(f"Sent {sent}; {pending} still waiting.")


@click.command("run-demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def run_demo_command(host, port):
    """Serve the app with an in-process worker (exports and mail), so the demo needs one command."""
    app = current_app._get_current_object()
    start_background_worker(app)
    click.echo(f"Serving on http://{host}:{port} with a worker for exports and mail (Ctrl+C to stop)")
    # app.run() refuses to block inside a `flask` command, so serve with Werkzeug directly.
    run_simple(host, port, app, threaded=True, use_reloader=False)
