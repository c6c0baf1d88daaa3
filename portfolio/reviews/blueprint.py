"""The reviews blueprint with its routes, entry panel, navigation, landing page and command."""

from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/reviews")

from . import views  # noqa: E402,F401
from .commands import send_reminders_command  # noqa: E402
from .panel import build_entry_panel  # noqa: E402


def _register_hooks() -> None:
    from ..entries.panels import register_entry_panel
    from ..main.views import LANDING_PAGES
    from ..navigation import add_nav_item
    from .permissions import can_use_dashboard, is_candidate, is_coach_developer

    register_entry_panel("reviews", "reviews/_entry_panel.html", build_entry_panel, order=40)
    add_nav_item("Reviews", "reviews.dashboard", can_use_dashboard, order=30)
    add_nav_item("My progress", "reviews.my_progress", is_candidate, order=35)
    if all(endpoint != "reviews.dashboard" for _, endpoint in LANDING_PAGES):
        LANDING_PAGES.append((is_coach_developer, "reviews.dashboard"))


@bp.app_template_global("reviews_entry_url")
def _entry_url(entry_id: int, anchor: str | None = None) -> str:
    from .links import entry_path

    return entry_path(entry_id, anchor)


@bp.app_template_global("entry_review_states")
def _entry_review_states(entries) -> dict:
    """entry id -> its review state, for a page of entries (two statements however many)."""
    from .queries import entry_review_states

    return entry_review_states(entry.id for entry in entries)


@bp.app_template_global("request_label")
def _request_label(review_request, decisions=None):
    from .status import request_label

    return request_label(review_request.status, decisions)


_register_hooks()
bp.record_once(lambda state: state.app.cli.add_command(send_reminders_command))
