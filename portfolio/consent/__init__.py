"""Consent for evidence showing athletes under 18: record, badge, report, withdraw and purge."""

from flask import Flask


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401  (routes)
    from .blueprint import bp
    from .commands import consent_group

    app.register_blueprint(bp)
    app.cli.add_command(consent_group)
