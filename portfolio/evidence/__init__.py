"""Evidence files and links: upload, storage, thumbnails, downloads.

The blueprint is built on first use of `portfolio.evidence.bp` (PEP 562), not when the package
is imported: `portfolio.models` imports `portfolio.evidence.models`, which runs this file, and
loading the views at that moment would import other features half-way through their own
imports.
"""


def __getattr__(name: str):
    if name != "bp":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from ..entries.panels import register_entry_panel
    from ..navigation import add_nav_item
    from . import commands, confirm_views, views  # noqa: F401 - routes and commands
    from .blueprint import bp
    from .panel import build_entry_panel
    from .permissions import is_candidate

    register_entry_panel("evidence", "evidence/_entry_panel.html", build_entry_panel, order=20)
    add_nav_item("Evidence", "evidence.library", is_candidate, order=30)
    globals()["bp"] = bp
    return bp
