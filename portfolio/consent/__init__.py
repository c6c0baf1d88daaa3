"""Consent for evidence showing athletes under 18: record, badge, report, withdraw and purge."""

from flask import Flask

from ..registry import registry_of


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401  (routes)
    from .blueprint import bp
    from .commands import consent_group
    from .services import purge_due

    app.register_blueprint(bp)
    app.cli.add_command(consent_group)
    registry_of(app).add_housekeeping("consent purge", purge_due)
