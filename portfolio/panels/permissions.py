"""Who may see and act on a review panel. Pure predicates over the panel and the person.

A panel is seen by its members (the chair among them), its candidate, and programme leads and
admins, who run panels. Nobody else: a coach developer of the cohort who does not sit on the
panel gets a 404 like a stranger. The panel's working material (the submitted showcase, the
progress summary, the notes) is for its members alone, from the day the review window opens.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, or_, select

from ..access import is_manager
from ..database import utcnow
from ..extensions import db
from ..timeutil import local
from ..viewer_facts import viewer_fact
from .models import PanelMember, PanelStatus, ReviewPanel


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def today() -> date:
    """Windows are UK calendar days."""
    return local(utcnow()).date()


def sits_on_a_panel_expression(user_id):
    """SQL: whether this person is a member or the chair of at least one panel."""
    return or_(exists().where(PanelMember.user_id == user_id),
               exists().where(ReviewPanel.chair_id == user_id))


def has_own_panel_expression(user_id):
    """SQL: whether a panel has been scheduled for this person as its candidate."""
    return exists().where(ReviewPanel.candidate_id == user_id)


def sits_on_a_panel(user) -> bool:
    """A member or chair of at least one panel (an external assessor's only access)."""
    if not _signed_in(user):
        return False
    return bool(viewer_fact("sits_on_a_panel", lambda: db.session.scalar(
        select(sits_on_a_panel_expression(user.id)))))


def uses_panels(user) -> bool:
    """Who sees "Panels" in the header: leads and admins, panel members, and candidates
    with a panel of their own."""
    if not _signed_in(user):
        return False
    return is_manager(user) or sits_on_a_panel(user) or has_own_panel(user)


def has_own_panel(user) -> bool:
    """Whether a panel has been scheduled for this person as its candidate."""
    return _signed_in(user) and bool(viewer_fact("has_own_panel", lambda: db.session.scalar(
        select(has_own_panel_expression(user.id)))))


def is_member(user, panel: ReviewPanel) -> bool:
    return _signed_in(user) and user.id in panel.member_ids


def is_candidate(user, panel: ReviewPanel) -> bool:
    return _signed_in(user) and panel.candidate_id == user.id


def can_view_panel(user, panel: ReviewPanel) -> bool:
    return is_manager(user) or is_member(user, panel) or is_candidate(user, panel)


def can_manage_panel(user, panel: ReviewPanel) -> bool:
    return is_manager(user)


def window_open(panel: ReviewPanel, on: date | None = None) -> bool:
    """The members' reading window has started (it stays readable afterwards, as a record)."""
    return (on or today()) >= panel.window_opens_on


def window_running(panel: ReviewPanel, on: date | None = None) -> bool:
    day = on or today()
    return panel.window_opens_on <= day <= panel.window_closes_on


def is_waiting(panel: ReviewPanel) -> bool:
    return panel.status == PanelStatus.SCHEDULED


def can_read_panel_work(user, panel: ReviewPanel) -> bool:
    """The submitted showcase, the progress summary and everyone's notes."""
    return is_member(user, panel) and window_open(panel)


def can_write_notes(user, panel: ReviewPanel) -> bool:
    return is_member(user, panel) and window_running(panel) and is_waiting(panel)


def can_record_outcome(user, panel: ReviewPanel) -> bool:
    return (_signed_in(user) and user.id == panel.chair_id and window_open(panel)
            and is_waiting(panel))


def can_submit_showcase(user, panel: ReviewPanel) -> bool:
    """The candidate, until the window opens (a copy can be replaced until then)."""
    return is_candidate(user, panel) and is_waiting(panel) and not window_open(panel)


def can_read_submitted_showcase(user, showcase) -> bool:
    """For showcases.permissions.extra_readers: the members of a panel it was submitted to,
    once that panel's window has opened."""
    if not _signed_in(user) or showcase.locked_at is None:
        return False
    panels = db.session.scalars(select(ReviewPanel).where(ReviewPanel.showcase_id == showcase.id))
    return any(can_read_panel_work(user, panel) for panel in panels)
