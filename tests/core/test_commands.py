"""Command-line tools: create-user, seed-demo, mail send-outbox."""

from types import SimpleNamespace

import click
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from portfolio.auth.models import User
from portfolio.commands import describe_target
from portfolio.extensions import db


def test_create_user_with_roles(app, runner):
    result = runner.invoke(args=["create-user", "--email", "Lead@Example.test", "--name",
                                 "Lee Lead", "--password", "a long enough password", "--lead"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "lead@example.test"))
    assert user.is_programme_lead and not user.is_admin
    assert user.check_password("a long enough password")


def test_create_user_refuses_a_duplicate_and_a_weak_password(app, runner):
    ok = runner.invoke(args=["create-user", "--email", "a@example.test", "--name", "A",
                             "--password", "a long enough password"])
    assert ok.exit_code == 0
    duplicate = runner.invoke(args=["create-user", "--email", "A@example.test", "--name", "A",
                                    "--password", "a long enough password"])
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    weak = runner.invoke(args=["create-user", "--email", "b@example.test", "--name", "B",
                               "--password", "short"])
    assert weak.exit_code != 0 and "at least 10" in weak.output


def test_seed_demo_is_idempotent_and_prints_logins(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "coach1@example.org" in first.output and "portfolio-demo" in first.output
    count = db.session.scalar(select(func.count()).select_from(User))
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert db.session.scalar(select(func.count()).select_from(User)) == count
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    assert admin.is_admin and admin.check_password("portfolio-demo")


def test_seed_demo_if_empty_leaves_a_used_database_alone(app, runner):
    from tests.factories import make_user

    make_user("someone@example.test")
    db.session.commit()
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert db.session.scalar(select(User).where(User.email == "admin@example.org")) is None


def test_seed_demo_is_refused_in_production(app, runner):
    app.config["PORTFOLIO_ENV"] = "production"
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "refused in production" in result.output


def _leaf_commands(group, prefix=()):
    # Through click's lookup, as the command line finds them (`flask db` loads its own then).
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            yield from _leaf_commands(command, (*prefix, name))
        else:
            yield " ".join((*prefix, name)), command


def test_every_command_says_which_instance_and_database_it_uses(app):
    commands = dict(_leaf_commands(app.cli))
    assert {"backup create", "backup restore", "storage check", "worker", "mail send-outbox",
            "send-reminders", "create-user", "seed-demo", "db upgrade"} <= set(commands)
    silent = [name for name, command in commands.items()
              if not getattr(command.callback, "announces_target", False)]
    assert silent == []


@pytest.mark.parametrize("args", [["storage", "check"], ["mail", "send-outbox"],
                                  ["backup", "verify", "."]])
def test_a_command_starts_by_naming_the_instance_and_database(app, runner, args):
    result = runner.invoke(args=args)
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)
    first = result.output.splitlines()[0]
    assert first == (f"Instance: {app.instance_path} (uploads: {app.config['UPLOAD_FOLDER']}); "
                     f"database: {url}")
    assert first in result.stderr and first not in result.stdout  # output stays parseable


def test_the_database_password_is_never_shown():
    app = SimpleNamespace(instance_path="/srv/portfolio/instance", config={
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://portfolio:s3cret@db.internal/portfolio",
        "UPLOAD_FOLDER": "/srv/shared/uploads"})
    assert describe_target(app) == (
        "Instance: /srv/portfolio/instance (uploads: /srv/shared/uploads); "
        "database: postgresql+psycopg://portfolio:***@db.internal/portfolio")
