"""Programme years, cohorts, membership, peer groups and rollover."""

from flask import Blueprint, Flask

from ..registry import registry_of

bp = Blueprint("programmes", __name__, url_prefix="/programme")


def init_app(app: Flask) -> None:
    from ..access import is_manager
    from ..auth.services import invitation_accepted
    from . import confirm_views, member_views, views  # noqa: F401  (routes)
    from .membership import activate_invited_memberships
    from .permissions import has_cohort
    from .services import ensure_reference_lists

    app.register_blueprint(bp)
    # Accepting an invitation activates the memberships that waited for it (connecting the
    # same function again is a no-op).
    invitation_accepted.connect(activate_invited_memberships)
    registry = registry_of(app)
    registry.add_reference_seeder(ensure_reference_lists)
    registry.add_landing_page("programmes.overview", is_manager, order=10)
    registry.add_nav_item("My cohort", "programmes.my_cohort", has_cohort, order=15)
    registry.add_nav_item("Programme", "programmes.overview", is_manager, order=20)
