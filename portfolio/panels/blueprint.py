"""The panels blueprint and the helper the portfolio home uses to show a candidate's outcomes."""

from flask import Blueprint

from .permissions import has_own_panel
from .queries import outcomes_for_candidate

bp = Blueprint("panels", __name__, url_prefix="/panels")


@bp.app_template_global("panel_outcomes_for")
def _panel_outcomes_for(user) -> list:
    """The person's own panels with their outcomes (never notes), newest first."""
    if not getattr(user, "is_authenticated", False) or not has_own_panel(user):
        return []  # most people have no panel: the fact read with them says so
    return outcomes_for_candidate(user.id)
