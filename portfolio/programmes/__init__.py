"""Programme years, cohorts, membership, peer groups and rollover."""

from flask import Blueprint

bp = Blueprint("programmes", __name__, url_prefix="/programme")


def _register_hooks() -> None:
    """Plug this feature into the shared registries (reference data, landing page, nav)."""
    from ..access import is_manager
    from ..main.views import LANDING_PAGES
    from ..navigation import add_nav_item
    from ..reference_data import REFERENCE_SEEDERS
    from .permissions import has_cohort
    from .services import ensure_reference_lists

    if ensure_reference_lists not in REFERENCE_SEEDERS:
        REFERENCE_SEEDERS.append(ensure_reference_lists)
    if (is_manager, "programmes.overview") not in LANDING_PAGES:
        LANDING_PAGES.append((is_manager, "programmes.overview"))
    add_nav_item("Programme", "programmes.overview", is_manager, order=20)
    add_nav_item("My cohort", "programmes.my_cohort", has_cohort, order=15)


_register_hooks()

from . import confirm_views, member_views, views  # noqa: E402,F401
