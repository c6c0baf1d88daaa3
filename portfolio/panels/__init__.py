"""End-of-programme review panels: scheduling, the submitted showcase, notes and the outcome."""

from flask import Flask

from ..registry import registry_of


def init_app(app: Flask) -> None:
    from ..showcases.permissions import extra_readers
    from . import views  # noqa: F401  (routes)
    from .blueprint import bp
    from .models import PanelMember, ReviewPanel
    from .permissions import (
        can_read_submitted_showcase,
        has_own_panel_expression,
        sits_on_a_panel,
        sits_on_a_panel_expression,
        uses_panels,
    )
    from .services import ensure_outcome_options

    app.register_blueprint(bp)
    # Panel members read the locked copy submitted to their panel (once, however many apps).
    if can_read_submitted_showcase not in extra_readers:
        extra_readers.append(can_read_submitted_showcase)
    registry = registry_of(app)
    registry.add_reference_seeder(ensure_outcome_options)
    # An external assessor's account has no cohort: their panels are their home.
    registry.add_landing_page("panels.index", sits_on_a_panel, order=40)
    registry.add_nav_item("Panels", "panels.index", uses_panels, order=40)
    # The header's checks, read with the signed-in person rather than by statements of their own.
    registry.add_viewer_fact("sits_on_a_panel", sits_on_a_panel_expression,
                             tables=(PanelMember, ReviewPanel))
    registry.add_viewer_fact("has_own_panel", has_own_panel_expression, tables=(ReviewPanel,))
