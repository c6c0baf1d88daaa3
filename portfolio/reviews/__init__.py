"""Peer learning and sign-off: comments, review requests, sign-offs, progress, dashboard.

Other features import `portfolio.reviews.progress` and `.models` from inside their own package
imports, so this package stays import-light: the blueprint (and with it every view, service
and hook) loads in `init_app`, which the app factory calls.
"""

from flask import Flask

from ..registry import registry_of


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401  (routes)
    from .blueprint import bp
    from .commands import send_reminders_command
    from .panel import build_entry_panel
    from .permissions import can_use_dashboard, is_candidate, is_coach_developer

    app.register_blueprint(bp)
    app.cli.add_command(send_reminders_command)
    registry = registry_of(app)
    registry.add_entry_panel("reviews", "reviews/_entry_panel.html", build_entry_panel,
                             order=40)
    registry.add_landing_page("reviews.dashboard", is_coach_developer, order=30)
    registry.add_nav_item("Reviews", "reviews.dashboard", can_use_dashboard, order=30)
    registry.add_nav_item("My progress", "reviews.my_progress", is_candidate, order=35)
