"""Panels for tests: a showcase the author can submit, and a panel on given window days."""

from __future__ import annotations

from datetime import timedelta

from portfolio.extensions import db
from portfolio.panels import services
from portfolio.panels.permissions import today
from portfolio.showcases import services as showcase_services
from tests.factories import make_entry, make_user


def make_showcase(owner, cohort, title="My best coaching year"):
    entry = make_entry(owner, cohort=cohort, privacy="peers", title="Relay changeover cues")
    showcase = showcase_services.create_showcase(owner, title=title, introduction="Read me.")
    showcase_services.add_entry_version(showcase, owner, entry_id=entry.id, expected_lock=None)
    db.session.flush()
    return showcase


def plan(s, *, opens_in=7, candidates=None, members=None, external_email=""):
    """A plan whose window opens `opens_in` days from today (negative: already open)."""
    opens = today() + timedelta(days=opens_in)
    return services.PanelPlan(
        candidate_ids=[user.id for user in (candidates or [s.author])],
        panel_on=opens + timedelta(days=3), window_opens_on=opens,
        window_closes_on=opens + timedelta(days=10), chair_id=s.lead.id,
        member_ids=[user.id for user in (members if members is not None else [s.developer])],
        external_name="Ext Assessor" if external_email else "", external_email=external_email)


def make_panel(s, **options):
    """A panel for the author chaired by the lead, with the developer on it."""
    panel, = services.schedule_panels(s.lead, s.cohort, plan(s, **options))
    return panel


def open_window(panel, days_ago=1):
    """Move the panel's window so it opened `days_ago` days ago (still running)."""
    panel.window_opens_on = today() - timedelta(days=days_ago)
    panel.panel_on = today()
    panel.window_closes_on = today() + timedelta(days=5)
    db.session.flush()


def second_member(s, name="Dora Second"):
    from tests.factories import add_member

    user = make_user(name=name)
    add_member(s.cohort, user, role="coach_developer")
    return user
