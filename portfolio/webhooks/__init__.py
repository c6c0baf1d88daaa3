"""Webhooks: signed event deliveries to endpoints that programme leads register."""

import os

from flask import Flask


def init_app(app: Flask) -> None:
    from ..programmes.membership import membership_changed
    from ..reviews.services import completion_revoked, programme_completed
    from ..reviews.services.requests import signoff_recorded
    from . import events, views  # noqa: F401  (routes)
    from .blueprint import bp
    from .delivery import DEFAULTS
    from .worker import webhooks_cli

    _configure(app, DEFAULTS)
    app.register_blueprint(bp)
    app.cli.add_command(webhooks_cli)
    # The owning services signal inside their transaction; the deliveries commit or roll back
    # with the change (connecting again is a no-op).
    programme_completed.connect(events.on_programme_completed)
    completion_revoked.connect(events.on_completion_revoked)
    signoff_recorded.connect(events.on_signoff_recorded)
    membership_changed.connect(events.on_membership_changed)


def _configure(app: Flask, defaults: dict) -> None:
    """Defaults, overridable by instance/config.py, PORTFOLIO_<NAME> or create_app overrides."""
    for name, default in defaults.items():
        if name in app.config:
            continue
        raw = os.environ.get(f"PORTFOLIO_{name}")
        if raw is None:
            app.config[name] = default
        elif isinstance(default, bool):
            app.config[name] = raw.strip().lower() in ("1", "true", "yes", "on")
        else:
            app.config[name] = type(default)(raw)
