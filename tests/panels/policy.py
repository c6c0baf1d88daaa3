"""Authorization policy for the review panel routes.

A panel is seen by its candidate, its members (the chair among them) and programme leads and
admins. A coach developer of the cohort who does not sit on it, a member of another panel, and
everyone of another cohort get a 404. Notes are for members only: the candidate and an admin
who does not sit on the panel open the page without seeing them.
"""

from tests.policy import MANAGERS, SIGNED_IN, Route

NOTE = "Hesitant under questioning about relay cues"


def setup(world):
    from datetime import timedelta

    from portfolio.extensions import db
    from portfolio.panels import services
    from portfolio.panels.permissions import today
    from tests.panels.builders import make_showcase

    def plan(candidate, members, opens_in):
        opens = today() + timedelta(days=opens_in)
        return services.PanelPlan(
            candidate_ids=[candidate.id], panel_on=opens + timedelta(days=2),
            window_opens_on=opens, window_closes_on=opens + timedelta(days=9),
            chair_id=world.lead.id, member_ids=[member.id for member in members])

    # The author's panel: the window opens next week, so the author may still submit.
    world.pn_panel, = services.schedule_panels(world.lead, world.cohort,
                                               plan(world.author, [world.developer], 7))
    world.pn_showcase = make_showcase(world.author, world.cohort)
    # The peer's panel: its window is open, with the developer's note on it.
    world.pn_open, = services.schedule_panels(world.lead, world.cohort,
                                              plan(world.peer, [world.developer], 7))
    world.pn_open.window_opens_on = today() - timedelta(days=1)
    world.pn_open.panel_on = today()
    db.session.flush()
    services.save_note(world.pn_open, world.developer, NOTE, None)
    # Cohort B's panel, with its own coach developer on it.
    world.pn_other, = services.schedule_panels(world.lead, world.other_cohort,
                                               plan(world.other_candidate,
                                                    [world.other_developer], 7))
    world.pn_option = services.usable_options()[-1]


def _panel(name, tail=""):
    return lambda w: f"/panels/{getattr(w, name).id}{tail}"


def _note(world):
    return NOTE


AUTHOR_PANEL = frozenset({"author", "developer", "lead", "admin"})
OPEN_PANEL = frozenset({"peer", "developer", "lead", "admin"})


def _schedule(w):
    from tests.panels.builders import plan

    base = plan(w, candidates=[w.outsider])
    return {"candidates": [str(w.outsider.id)], "panel_on": base.panel_on.isoformat(),
            "window_opens_on": base.window_opens_on.isoformat(),
            "window_closes_on": base.window_closes_on.isoformat(), "chair": str(w.lead.id),
            "members": [str(w.developer.id)]}


ROUTES = [
    Route("panels.index", lambda w: "/panels/", SIGNED_IN),
    Route("panels.show", _panel("pn_panel"), AUTHOR_PANEL,
          secret=lambda w: "Submit your showcase"),
    # Notes: the members read them; the candidate and a non-member admin open the page
    # without them.
    Route("panels.show", _panel("pn_open"), OPEN_PANEL, secret=_note,
          hidden_from=frozenset({"peer", "admin"})),
    Route("panels.submit_showcase", _panel("pn_panel", "/showcase"), frozenset({"author"}),
          method="POST", allowed_status=302, redirect_to=_panel("pn_panel"),
          data=lambda w: {"submit-showcase": str(w.pn_showcase.id)}),
    Route("panels.save_note", _panel("pn_open", "/notes"), frozenset({"developer", "lead"}),
          method="POST", allowed_status=302, redirect_to=_panel("pn_open"),
          data=lambda w: {"note-body": "Clear plan for the next block."}),
    # Only the chair records; another member's attempt is refused beside the form.
    Route("panels.record_outcome", _panel("pn_open", "/outcome"),
          frozenset({"developer", "lead"}), method="POST", allowed_status=302,
          redirect_to=_panel("pn_open"), outcomes={"developer": (400, None)},
          data=lambda w: {"outcome-option": str(w.pn_option.id),
                          "outcome-reasons": "Two more observed sessions."}),
    Route("panels.cohorts", lambda w: "/panels/cohorts", MANAGERS, denied_status=403),
    Route("panels.schedule", lambda w: f"/panels/cohorts/{w.cohort.id}/schedule", MANAGERS,
          denied_status=403),
    Route("panels.schedule", lambda w: f"/panels/cohorts/{w.cohort.id}/schedule", MANAGERS,
          method="POST", denied_status=403, allowed_status=302, redirect_to="/panels/",
          data=_schedule),
    Route("panels.cancel", _panel("pn_panel", "/cancel"), MANAGERS, method="POST",
          denied_status=403, allowed_status=302, redirect_to=_panel("pn_panel")),
    Route("panels.outcome_options", lambda w: "/panels/outcomes", MANAGERS, denied_status=403),
    Route("panels.outcome_options", lambda w: "/panels/outcomes", MANAGERS, method="POST",
          denied_status=403, allowed_status=302, redirect_to="/panels/outcomes",
          data=lambda w: {"new-label": "Referred to the board", "new-position": "9"}),
    Route("panels.edit_outcome_option", lambda w: f"/panels/outcomes/{w.pn_option.id}",
          MANAGERS, denied_status=403),
    Route("panels.edit_outcome_option", lambda w: f"/panels/outcomes/{w.pn_option.id}",
          MANAGERS, method="POST", denied_status=403, allowed_status=302,
          redirect_to="/panels/outcomes",
          data=lambda w: {"label": "Not yet ready", "position": "3"}),
]
