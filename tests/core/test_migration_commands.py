"""`flask db ...` works although Flask-Migrate is only imported when a migration runs."""

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from portfolio import create_app
from portfolio.extensions import db
from tests.conftest import base_config
from tests.core.test_migrations import empty_database  # noqa: F401 - fixture


def test_db_commands_upgrade_report_and_downgrade_an_empty_database(tmp_path, empty_database):  # noqa: F811
    app = create_app(base_config(tmp_path, empty_database))
    runner = app.test_cli_runner()

    listed = runner.invoke(args=["db", "--help"])
    assert listed.exit_code == 0
    assert "upgrade" in listed.output and "downgrade" in listed.output

    upgraded = runner.invoke(args=["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert runner.invoke(args=["db", "current"]).exit_code == 0

    with app.app_context():
        assert "users" in inspect(db.engine).get_table_names()
        with db.engine.connect() as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        assert version == script.get_current_head()
    # After the first command the real Flask-Migrate settings are in place.
    config = app.extensions["migrate"]
    assert config.configure_args["render_as_batch"] is True
    assert config.configure_args["compare_type"] is True

    downgraded = runner.invoke(args=["db", "downgrade", "base"])
    assert downgraded.exit_code == 0, downgraded.output
    with app.app_context():
        assert "users" not in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_an_unknown_db_command_is_refused_with_the_real_usage(tmp_path):
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite'}"))
    result = app.test_cli_runner().invoke(args=["db", "no-such-command"])
    assert result.exit_code == 2
    assert "No such command" in result.output
