"""Demo showcases and review panels: Jordan's showcase of the season, shared with coach
developers, and an end-of-programme panel scheduled for Jordan with that showcase submitted;
Megan's panel is in its review window, with her showcase and a first note from Sam, so the
lead can read it and record an outcome.

Runs after the reviews seeder. Idempotent and flush-only: it looks for Jordan's showcase by
title and for a panel about Jordan, and skips what exists. Everything goes through the
showcases and panels services, with email paused for the demo people.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..auth.models import User
from ..entries.models import Entry
from ..evidence.models import Evidence
from ..extensions import db
from ..panels import services as panels
from ..panels.models import ReviewPanel
from ..panels.permissions import today
from ..programmes.access import current_memberships
from ..programmes.models import MemberRole
from ..reviews.models import Decision, Signoff
from ..showcases import services as showcases
from ..showcases.models import Showcase
from .reviews import _email_paused

LEAD, DEVELOPER, JORDAN, MEGAN = ("lead@example.org", "developer@example.org",
                                  "coach1@example.org", "coach2@example.org")
TITLE = "Sprint starts and relays: my season"
INTRODUCTION = """This showcase gathers the work I am proudest of from the indoor and early
outdoor season with our under-17 sprint group: how I changed block-start sessions after
filming them, and what the athletes told me.

Each entry is pinned to the version my coach developer read."""


def seed(users: dict[str, User]) -> bool:
    lead, developer, jordan = (users.get(email) for email in (LEAD, DEVELOPER, JORDAN))
    if None in (lead, developer, jordan):
        return False
    memberships = current_memberships(jordan.id, MemberRole.CANDIDATE)
    if not memberships:
        return False
    cohort = memberships[0].cohort
    megan = users.get(MEGAN)
    with _email_paused([user for user in (lead, developer, jordan, megan) if user]):
        showcase, created = _showcase(jordan)
        if showcase is not None:
            created = _panel(lead, developer, jordan, cohort, showcase) or created
        if megan is not None:
            created = _panel_in_window(lead, developer, megan, cohort) or created
    db.session.flush()
    return created


def _showcase(jordan: User) -> tuple[Showcase | None, bool]:
    existing = db.session.scalar(select(Showcase).where(
        Showcase.owner_id == jordan.id, Showcase.title == TITLE, Showcase.locked_at.is_(None)))
    if existing is not None:
        return existing, False
    entries = list(db.session.scalars(
        select(Entry).where(Entry.owner_id == jordan.id, Entry.latest_version_number > 0,
                            Entry.privacy != "private")
        .order_by(Entry.practice_date.desc(), Entry.id.desc()).limit(3)))
    if not entries:
        return None, False
    showcase = showcases.create_showcase(jordan, title=TITLE, introduction=INTRODUCTION)
    showcases.add_heading(showcase, jordan, heading="Reflecting on my sessions",
                          expected_lock=None)
    for entry in entries:
        showcases.add_entry_version(showcase, jordan, entry_id=entry.id, expected_lock=None)
    evidence = db.session.scalar(select(Evidence).where(
        Evidence.owner_id == jordan.id, Evidence.deleted_at.is_(None)).order_by(Evidence.id))
    signoff = db.session.scalar(select(Signoff).where(
        Signoff.candidate_id == jordan.id, Signoff.decision == Decision.SIGNED_OFF)
        .order_by(Signoff.id))
    if evidence is not None or signoff is not None:
        showcases.add_heading(showcase, jordan, heading="Evidence and sign-off",
                              expected_lock=None)
    if evidence is not None:
        showcases.add_evidence(showcase, jordan, evidence_id=evidence.id, expected_lock=None,
                               note="What the group worked from.")
    if signoff is not None:
        showcases.add_signoff(showcase, jordan, signoff_id=signoff.id, expected_lock=None)
    showcases.update_showcase(showcase, jordan, title=TITLE, introduction=INTRODUCTION,
                              shared_with_developers=True, shared_with_peers=False,
                              expected_lock=None)
    return showcase, True


def _panel(lead: User, developer: User, jordan: User, cohort, showcase: Showcase) -> bool:
    if db.session.scalar(select(ReviewPanel.id).where(ReviewPanel.candidate_id == jordan.id,
                                                      ReviewPanel.cohort_id == cohort.id)):
        return False
    opens = today() + timedelta(days=14)
    panel, = panels.schedule_panels(lead, cohort, panels.PanelPlan(
        candidate_ids=[jordan.id], panel_on=opens + timedelta(days=7), window_opens_on=opens,
        window_closes_on=opens + timedelta(days=10), chair_id=lead.id,
        member_ids=[developer.id]))
    panels.submit_showcase(panel, jordan, showcase)
    return True


def _panel_in_window(lead: User, developer: User, megan: User, cohort) -> bool:
    """Megan's panel, scheduled with her showcase submitted, then (as the demo's history) in
    its review window since yesterday, with one note from her coach developer."""
    if db.session.scalar(select(ReviewPanel.id).where(ReviewPanel.candidate_id == megan.id,
                                                      ReviewPanel.cohort_id == cohort.id)):
        return False
    entry = db.session.scalar(
        select(Entry).where(Entry.owner_id == megan.id, Entry.latest_version_number > 0,
                            Entry.privacy != "private").order_by(Entry.id.desc()))
    if entry is None:
        return False
    showcase = showcases.create_showcase(
        megan, title="Endurance groups: what changed this year",
        introduction="How I plan easy running with the endurance group, and why.")
    showcases.add_entry_version(showcase, megan, entry_id=entry.id, expected_lock=None)
    opens = today() + timedelta(days=2)
    panel, = panels.schedule_panels(lead, cohort, panels.PanelPlan(
        candidate_ids=[megan.id], panel_on=opens + timedelta(days=5), window_opens_on=opens,
        window_closes_on=opens + timedelta(days=10), chair_id=lead.id,
        member_ids=[developer.id]))
    panels.submit_showcase(panel, megan, showcase)
    # The window is date-based: the demo's history moves it to have opened yesterday.
    panel.window_opens_on = today() - timedelta(days=1)
    panel.panel_on = today() + timedelta(days=3)
    db.session.flush()
    panels.save_note(panel, developer, "Strong on planning and athlete feedback. Ask about "
                     "how she adapts sessions for the two athletes returning from injury.", None)
    return True
