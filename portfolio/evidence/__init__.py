"""Evidence files and links: upload, storage, thumbnails, downloads.

This package stays import-light (`portfolio.models` imports `portfolio.evidence.models`):
routes, commands and the entry panel load in `init_app`, which the app factory calls.
"""

from flask import Flask

from ..registry import registry_of


def init_app(app: Flask) -> None:
    from . import confirm_views, entry_views, file_views, views  # noqa: F401  (routes)
    from .blueprint import bp
    from .commands import storage_group
    from .panel import build_entry_panel
    from .permissions import is_candidate
    from .resumable import remove_expired
    from .resumable_views import uploads_group

    app.register_blueprint(bp)
    app.cli.add_command(storage_group)
    app.cli.add_command(uploads_group)
    registry = registry_of(app)
    registry.add_housekeeping("expired unfinished uploads", remove_expired)
    registry.add_entry_panel("evidence", "evidence/_entry_panel.html", build_entry_panel,
                             order=20)
    registry.add_nav_item("Evidence", "evidence.library", is_candidate, order=30)
