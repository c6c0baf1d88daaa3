"""Read-side queries for the panel pages: a fixed number of statements whatever the data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..access import is_manager
from ..database import built_once, read_rows
from ..extensions import db
from ..programmes.models import Cohort, ProgrammeYear, YearStatus
from ..reviews.progress import candidate_progress
from .models import (
    OutcomeOption,
    PanelMember,
    PanelNote,
    PanelOutcome,
    PanelStatus,
    ReviewPanel,
    outcome_words,
)


def panel_loads() -> tuple:
    """What a panel page reads with the panel (made when asked: building loader options
    configures the mappers, which must not happen while the models are still importing)."""
    return (joinedload(ReviewPanel.cohort).joinedload(Cohort.year),
            joinedload(ReviewPanel.candidate), joinedload(ReviewPanel.chair),
            joinedload(ReviewPanel.outcome),
            selectinload(ReviewPanel.members).joinedload(PanelMember.user))


def panels_for(user, *, page: int, per_page: int):
    """The panels the person sits on or is the candidate of; every panel for leads and admins.
    Waiting panels first, soonest first; then decided and cancelled ones, latest first."""
    query = select(ReviewPanel).options(*panel_loads())
    if not is_manager(user):
        sits = select(PanelMember.panel_id).where(PanelMember.user_id == user.id)
        query = query.where(or_(ReviewPanel.candidate_id == user.id,
                                ReviewPanel.chair_id == user.id, ReviewPanel.id.in_(sits)))
    query = query.order_by((ReviewPanel.status != PanelStatus.SCHEDULED),
                           ReviewPanel.panel_on, ReviewPanel.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def schedulable_cohorts() -> list[Cohort]:
    """Cohorts of years that are not closed or archived, where panels can be scheduled."""
    return list(db.session.scalars(
        select(Cohort).join(ProgrammeYear, ProgrammeYear.id == Cohort.year_id)
        .options(joinedload(Cohort.year))
        .where(ProgrammeYear.status.in_((YearStatus.PLANNING, YearStatus.ACTIVE)))
        .order_by(ProgrammeYear.starts_on.desc(), Cohort.name)))


def panel(panel_id) -> ReviewPanel | None:
    return db.session.get(ReviewPanel, panel_id, options=panel_loads())


def notes_of(panel: ReviewPanel) -> list[PanelNote]:
    return list(db.session.scalars(
        select(PanelNote).options(joinedload(PanelNote.author))
        .where(PanelNote.panel_id == panel.id).order_by(PanelNote.created_at, PanelNote.id)))


def progress_of(panel: ReviewPanel):
    return candidate_progress(panel.candidate_id, panel.cohort.framework)


def options() -> list[OutcomeOption]:
    return list(db.session.scalars(select(OutcomeOption)
                                   .order_by(OutcomeOption.retired, OutcomeOption.position,
                                             OutcomeOption.id)))


def outcomes_for_candidate(user_id: int) -> list[ReviewPanel]:
    """The person's own decided panels, newest first (their portfolio home shows these)."""
    return list(db.session.scalars(
        select(ReviewPanel).options(joinedload(ReviewPanel.outcome),
                                    joinedload(ReviewPanel.cohort).joinedload(Cohort.year))
        .where(ReviewPanel.candidate_id == user_id,
               ReviewPanel.status != PanelStatus.CANCELLED)
        .order_by(ReviewPanel.panel_on.desc(), ReviewPanel.id.desc())))


@dataclass(frozen=True, slots=True)
class PanelSummary:
    """A candidate's review panel as the progress matrix and the exports show it."""

    panel_on: date
    outcome: str | None  # the option's words, as recorded; None while the panel waits
    extension_months: int | None
    decided_at: datetime | None

    @property
    def label(self) -> str:
        if self.outcome is None:
            return f"Panel on {self.panel_on.day} {self.panel_on:%b %Y}"
        return outcome_words(self.outcome, self.extension_months)


@built_once
def _panel_summaries_statement():
    return (
        select(ReviewPanel.candidate_id, ReviewPanel.panel_on, PanelOutcome.option_label,
               PanelOutcome.extension_months, PanelOutcome.decided_at)
        .outerjoin(PanelOutcome, PanelOutcome.panel_id == ReviewPanel.id)
        .where(ReviewPanel.cohort_id == bindparam("cohort_id"),
               ReviewPanel.status != PanelStatus.CANCELLED)
        .order_by(ReviewPanel.candidate_id, PanelOutcome.decided_at.is_(None),
                  PanelOutcome.decided_at.desc(), ReviewPanel.panel_on.desc(),
                  ReviewPanel.id.desc()))


def cohort_panel_summaries(cohort_id: int) -> dict[int, PanelSummary]:
    """candidate id -> their latest decided panel in the cohort, or else the one waiting
    (one statement; cancelled panels are left out)."""
    rows = read_rows(_panel_summaries_statement(), {"cohort_id": cohort_id})
    summaries: dict[int, PanelSummary] = {}
    for candidate_id, panel_on, label, months, decided_at in rows:
        if candidate_id not in summaries:  # the first row per candidate is the one to show
            summaries[candidate_id] = PanelSummary(
                panel_on, label, months, decided_at)
    return summaries
