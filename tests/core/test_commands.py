"""Command-line tools: create-user, seed-demo, mail send-outbox."""

from sqlalchemy import func, select

from portfolio.auth.models import User
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
