"""Flask extension instances, created unbound and initialised in the app factory."""

import logging

import click
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names keep Alembic migrations portable between SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DeferredMigrate:
    """Flask-Migrate, imported the first time a migration runs rather than with the app.

    Flask-Migrate imports Alembic (with Mako and every SQL dialect Alembic compares), about 11 MB
    in every process. Only `flask db ...`, `flask_migrate.upgrade()` and the migration
    environment need it; web and export workers never do. `init_app` leaves a stand-in at
    `app.extensions["migrate"]` and a `flask db` command group that build the real extension
    on first use, with the same settings.
    """

    def init_app(self, app, db, **settings) -> None:
        app.extensions["migrate"] = _MigrateStandIn(app, db, settings)
        app.cli.add_command(_MigrationCommands(app, name="db",
                                               help="Perform database migrations."))


def _real_migrate(app, db, settings):
    """Set up Flask-Migrate on `app` (replacing the stand-ins) and return its config object."""
    # Alembic announces each built-in plugin at INFO as it loads: noise in every `flask db` run.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    from flask_migrate import Migrate

    Migrate().init_app(app, db, **settings)
    return app.extensions["migrate"]


class _MigrateStandIn:
    """Becomes Flask-Migrate's `_MigrateConfig` on the first attribute anything reads."""

    def __init__(self, app, db, settings):
        self._app, self._db, self._settings = app, db, settings
        self._config = None

    def __getattr__(self, name):
        if self._config is None:
            self._config = _real_migrate(self._app, self._db, self._settings)
        return getattr(self._config, name)


class _MigrationCommands(click.Group):
    """`flask db`: Flask-Migrate's command group, imported when a `db` command is looked up."""

    def __init__(self, app, **attrs):
        super().__init__(**attrs)
        self._app = app
        # Called with Flask-Migrate's group whenever it is looked up (commands.py makes its
        # commands say which database they work on); each must be safe to repeat.
        self.on_load: list = []

    def _group(self) -> click.Group:
        config = self._app.extensions["migrate"]
        if isinstance(config, _MigrateStandIn):
            config.directory  # noqa: B018 - reading an attribute sets up Flask-Migrate
        from flask_migrate.cli import db as group

        for prepare in self.on_load:
            prepare(group)
        return group

    def make_context(self, info_name, args, parent=None, **extra):
        # The real group parses the options and runs its callback (which sets `g.directory`).
        return self._group().make_context(info_name, args, parent=parent, **extra)

    def list_commands(self, ctx):
        return self._group().list_commands(ctx)

    def get_command(self, ctx, name):
        return self._group().get_command(ctx, name)


db = SQLAlchemy(model_class=Base)
migrate = DeferredMigrate()
login_manager = LoginManager()
csrf = CSRFProtect()
