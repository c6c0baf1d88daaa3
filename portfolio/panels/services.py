"""The rules of review panels. Every function takes the acting user, raises DomainError with a
message for people, and only flushes: the view commits once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..access import is_manager
from ..audit.services import record
from ..auth.models import User
from ..auth.services import invite_user, normalise_email
from ..database import utcnow
from ..errors import ConflictError, DomainError
from ..extensions import db
from ..notifications.services import notify, notify_each, path_for
from ..programmes.access import assert_cohort_writable
from ..programmes.models import CohortMembership, MemberRole, MembershipStatus
from ..reviews.services import AlreadyRecorded, record_completion
from ..showcases.models import Showcase
from ..showcases.services import submit_copy
from .models import (
    DEFAULT_OUTCOMES,
    OutcomeOption,
    PanelMember,
    PanelNote,
    PanelOutcome,
    PanelSeat,
    PanelStatus,
    ReviewPanel,
)
from .permissions import (
    can_record_outcome,
    can_submit_showcase,
    can_write_notes,
    is_candidate,
    today,
)

MAX_REASONS = 20_000
MAX_NOTES = 50_000
MAX_EXTENSION_MONTHS = 24
ALREADY_DECIDED = "The outcome of this panel has already been recorded."
ALREADY_SCHEDULED = "{names} already {verb} a panel waiting for its outcome in this cohort."


class AlreadyDecided(DomainError):
    """A second outcome for the same panel (a double click, another tab)."""

    def __init__(self):
        super().__init__(ALREADY_DECIDED)


def clean_text(value: str | None, limit: int) -> str:
    return (value or "").replace("\r\n", "\n").replace("\x00", "").strip()[:limit]


# --- outcome options ---------------------------------------------------------------------------

def ensure_outcome_options() -> None:
    """Seed the default outcomes on an installation that has none (idempotent, flush only)."""
    if db.session.scalar(select(func.count()).select_from(OutcomeOption)):
        return
    for position, (label, completes, extends) in enumerate(DEFAULT_OUTCOMES):
        db.session.add(OutcomeOption(label=label, completes_programme=completes,
                                     needs_extension=extends, position=position))
    db.session.flush()


@dataclass(frozen=True)
class OptionChanges:
    label: str
    completes_programme: bool
    needs_extension: bool
    position: int
    retired: bool = False


def _require_manager(actor) -> None:
    if not is_manager(actor):
        raise DomainError("Only a programme lead or admin can do this.")


def _clean_label(label: str, exclude_id: int | None = None) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise DomainError("Enter the outcome's name.", field="label")
    if len(label) > 80:
        raise DomainError("Keep the name to 80 characters or fewer.", field="label")
    taken = select(OutcomeOption.id).where(func.lower(OutcomeOption.label) == label.lower())
    if exclude_id is not None:
        taken = taken.where(OutcomeOption.id != exclude_id)
    if db.session.scalar(taken) is not None:
        raise DomainError("There is already an outcome with this name.", field="label")
    return label


def add_option(actor, changes: OptionChanges) -> OutcomeOption:
    _require_manager(actor)
    option = OutcomeOption(label=_clean_label(changes.label),
                           completes_programme=changes.completes_programme,
                           needs_extension=changes.needs_extension, position=changes.position)
    db.session.add(option)
    _flush_or("There is already an outcome with this name.", field="label")
    record("panel_outcome_option.added", actor=actor, target=option, label=option.label)
    return option


def update_option(actor, option: OutcomeOption, changes: OptionChanges) -> None:
    """Outcomes already recorded keep the words they were given; only later ones change."""
    _require_manager(actor)
    option.label = _clean_label(changes.label, exclude_id=option.id)
    option.completes_programme = changes.completes_programme
    option.needs_extension = changes.needs_extension
    option.position = changes.position
    option.retired = changes.retired
    _flush_or("There is already an outcome with this name.", field="label")
    record("panel_outcome_option.changed", actor=actor, target=option, label=option.label,
           retired=option.retired)


def _flush_or(message: str, field: str | None = None) -> None:
    try:
        db.session.flush()
    except IntegrityError as error:
        raise DomainError(message, field=field) from error


# --- scheduling --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PanelPlan:
    """What a lead fills in to schedule panels for one or more candidates of a cohort."""

    candidate_ids: list[int]
    panel_on: date
    window_opens_on: date
    window_closes_on: date
    chair_id: int | None
    member_ids: list[int]
    external_name: str = ""
    external_email: str = ""


def panel_people(cohort) -> tuple[list[CohortMembership], list[User]]:
    """(the cohort's candidates who may have a panel, the people who may sit on one)."""
    memberships = list(db.session.scalars(
        select(CohortMembership).join(User, User.id == CohortMembership.user_id)
        .where(CohortMembership.cohort_id == cohort.id,
               CohortMembership.status != MembershipStatus.WITHDRAWN,
               User.active.is_(True))
        .order_by(User.display_name, User.id)))
    candidates = [item for item in memberships if item.role == MemberRole.CANDIDATE]
    developers = [item.user for item in memberships if item.role == MemberRole.COACH_DEVELOPER]
    leads = list(db.session.scalars(
        select(User).where(User.active.is_(True),
                           User.is_programme_lead.is_(True) | User.is_admin.is_(True))
        .order_by(User.display_name, User.id)))
    seen, sitters = set(), []
    for user in [*leads, *developers]:
        if user.id not in seen:
            seen.add(user.id)
            sitters.append(user)
    return candidates, sitters


def schedule_panels(actor, cohort, plan: PanelPlan) -> list[ReviewPanel]:
    """One panel per chosen candidate, with the same date, window, chair and members."""
    _require_manager(actor)
    assert_cohort_writable(cohort)
    _check_dates(plan)
    candidates, sitters = panel_people(cohort)
    by_user = {item.user_id: item for item in candidates}
    chosen = [by_user[ident] for ident in dict.fromkeys(plan.candidate_ids) if ident in by_user]
    if not chosen or len(chosen) != len(set(plan.candidate_ids)):
        raise DomainError("Choose at least one candidate of this cohort.", field="candidates")
    eligible = {user.id: user for user in sitters}
    chair = eligible.get(plan.chair_id or 0)
    if chair is None or not is_manager(chair):
        raise DomainError("Choose a programme lead or admin to chair the panel: the chair's "
                          "outcome can complete the programme.", field="chair")
    if any(ident not in eligible for ident in plan.member_ids):
        raise DomainError("Choose panel members from the cohort's coach developers and the "
                          "programme leads.", field="members")
    members = [eligible[ident] for ident in dict.fromkeys(plan.member_ids)]
    external = _external(actor, cohort, plan)
    _refuse_waiting(cohort, chosen)
    panels = [_panel(actor, cohort, membership.user_id, plan, chair, members, external)
              for membership in chosen]
    try:
        db.session.flush()
    except IntegrityError as error:  # the same candidates were scheduled at the same moment
        raise ConflictError(ALREADY_SCHEDULED.format(names="These candidates", verb="have")) \
            from error
    for panel in panels:
        record("panel.scheduled", actor=actor, target=panel, cohort_id=cohort.id,
               candidate_id=panel.candidate_id, chair_id=panel.chair_id,
               members=len(panel.members), panel_on=panel.panel_on.isoformat())
        _tell_scheduled(panel)
    return panels


def _check_dates(plan: PanelPlan) -> None:
    if not (plan.panel_on and plan.window_opens_on and plan.window_closes_on):
        raise DomainError("Enter the panel date and the review window.", field="panel_on")
    if plan.window_closes_on < plan.window_opens_on:
        raise DomainError("The review window must close on or after the day it opens.",
                          field="window_closes_on")
    if not plan.window_opens_on <= plan.panel_on <= plan.window_closes_on:
        raise DomainError("The panel date must fall within the review window.", field="panel_on")
    if plan.window_closes_on < today():
        raise DomainError("The review window must not have closed already.",
                          field="window_closes_on")


def _external(actor, cohort, plan: PanelPlan) -> User | None:
    """An external assessor: an account invited by a one-time link (or the existing one)."""
    email = normalise_email(plan.external_email)
    if not email:
        if plan.external_name.strip():
            raise DomainError("Enter the external assessor's email address.",
                              field="external_email")
        return None
    if "@" not in email or len(email) > 254 or any(ch.isspace() for ch in email):
        raise DomainError("Enter an email address like name@example.org.",
                          field="external_email")
    user, _created = invite_user(email, plan.external_name.strip()[:120], invited_by=actor,
                                 context=f"a review panel for {cohort.label}")
    if not user.active:
        raise DomainError("That account is deactivated.", field="external_email")
    return user


def _refuse_waiting(cohort, memberships: list[CohortMembership]) -> None:
    waiting = set(db.session.scalars(select(ReviewPanel.candidate_id).where(
        ReviewPanel.cohort_id == cohort.id, ReviewPanel.status == PanelStatus.SCHEDULED,
        ReviewPanel.candidate_id.in_([item.user_id for item in memberships]))))
    if waiting:
        names = ", ".join(item.user.display_name for item in memberships
                          if item.user_id in waiting)
        raise DomainError(ALREADY_SCHEDULED.format(
            names=names, verb="has" if len(waiting) == 1 else "have"), field="candidates")


def _panel(actor, cohort, candidate_id: int, plan: PanelPlan, chair: User,
           members: list[User], external: User | None) -> ReviewPanel:
    panel = ReviewPanel(cohort_id=cohort.id, candidate_id=candidate_id, panel_on=plan.panel_on,
                        window_opens_on=plan.window_opens_on,
                        window_closes_on=plan.window_closes_on, chair_id=chair.id,
                        scheduled_by_id=actor.id, status=PanelStatus.SCHEDULED)
    seats = [(chair, _seat(chair)), *((user, _seat(user)) for user in members)]
    if external is not None:
        seats.append((external, PanelSeat.EXTERNAL))
    seen = set()
    for user, seat in seats:
        if user.id in seen or user.id == candidate_id:
            continue
        seen.add(user.id)
        panel.members.append(PanelMember(user_id=user.id, seat=seat))
    db.session.add(panel)
    return panel


def _seat(user: User) -> PanelSeat:
    return PanelSeat.LEAD if is_manager(user) else PanelSeat.COACH_DEVELOPER


def _tell_scheduled(panel: ReviewPanel) -> None:
    link = path_for("panels.show", panel_id=panel.id)
    when = f"{panel.panel_on.day} {panel.panel_on:%b %Y}"
    notify(panel.candidate, "panel_scheduled",
           f"Your end-of-programme review panel is on {when}. Submit a showcase before "
           f"{panel.window_opens_on.day} {panel.window_opens_on:%b %Y}.", link,
           dedupe_key=f"panel-scheduled:{panel.id}:{panel.candidate_id}")
    notify_each([member.user for member in panel.members], "panel_member",
                f"You are on the review panel for {panel.candidate.display_name} on {when}.",
                link, dedupe_key=f"panel-member:{panel.id}")


def cancel_panel(actor, panel: ReviewPanel) -> None:
    """A lead takes back a panel that has no outcome yet (e.g. scheduled by mistake)."""
    _require_manager(actor)
    if not _move(panel, PanelStatus.CANCELLED):
        raise ConflictError("This panel is no longer waiting for an outcome.")
    record("panel.cancelled", actor=actor, target=panel, cohort_id=panel.cohort_id,
           candidate_id=panel.candidate_id)


def _move(panel: ReviewPanel, status: PanelStatus) -> bool:
    """Move a waiting panel on in one conditional UPDATE; False if another request won."""
    result = db.session.execute(
        update(ReviewPanel)
        .where(ReviewPanel.id == panel.id, ReviewPanel.status == PanelStatus.SCHEDULED)
        .values(status=status, lock_version=ReviewPanel.lock_version + 1)
        .execution_options(synchronize_session=False))
    db.session.refresh(panel)
    return result.rowcount == 1


# --- the candidate's showcase ------------------------------------------------------------------

def submit_showcase(panel: ReviewPanel, actor, showcase: Showcase | None) -> Showcase:
    """Hand the panel a locked copy of one of the candidate's showcases (replacing an earlier
    copy) until the review window opens."""
    if not is_candidate(actor, panel):
        raise DomainError("Only the candidate can submit a showcase to their panel.")
    if not can_submit_showcase(actor, panel):
        raise DomainError("The review window has opened, so the submitted showcase can no "
                          "longer change." if panel.status == PanelStatus.SCHEDULED
                          else "This panel has finished.", field="showcase")
    if showcase is None or showcase.owner_id != actor.id or showcase.locked_at is not None:
        raise DomainError("Choose one of your showcases.", field="showcase")
    copy = submit_copy(showcase, actor=actor)
    previous = panel.showcase_id
    panel.showcase_id = copy.id
    panel.submitted_at = utcnow()
    try:
        db.session.flush()
    except StaleDataError as error:
        raise ConflictError("This panel changed while you were submitting. Look again and "
                            "submit once more if you still need to.") from error
    record("panel.showcase_submitted", actor=actor, target=panel, cohort_id=panel.cohort_id,
           candidate_id=actor.id, showcase_id=copy.id, replaced=previous or "")
    return copy


# --- notes -------------------------------------------------------------------------------------

def my_note(panel: ReviewPanel, actor) -> PanelNote | None:
    return db.session.scalar(select(PanelNote).where(PanelNote.panel_id == panel.id,
                                                     PanelNote.author_id == actor.id))


def save_note(panel: ReviewPanel, actor, body: str, expected_lock: int | None) -> PanelNote:
    """Write the member's own notes; of two tabs saving one version, the second is told."""
    if not can_write_notes(actor, panel):
        raise DomainError("Notes can be written by panel members while the review window is "
                          "open and the outcome is not yet recorded.", field="body")
    text = clean_text(body, MAX_NOTES + 1)
    if len(text) > MAX_NOTES:
        raise DomainError(f"Keep your notes to {MAX_NOTES:,} characters or fewer.",
                          field="body")
    note = my_note(panel, actor)
    if note is None:
        note = PanelNote(panel_id=panel.id, author_id=actor.id, body=text)
        db.session.add(note)
    elif expected_lock is not None and expected_lock != note.lock_version:
        raise ConflictError("Your notes were saved in another window after you opened this "
                            "one. Your text is below: copy it, reload, and merge.")
    else:
        note.body = text
    try:
        db.session.flush()
    except (IntegrityError, StaleDataError) as error:
        raise ConflictError("Your notes were saved in another window at the same moment. "
                            "Your text is below: copy it, reload, and merge.") from error
    return note


# --- the outcome -------------------------------------------------------------------------------

def usable_options() -> list[OutcomeOption]:
    return list(db.session.scalars(select(OutcomeOption).where(OutcomeOption.retired.is_(False))
                                   .order_by(OutcomeOption.position, OutcomeOption.id)))


def record_outcome(panel: ReviewPanel, actor, option_id: int | None, reasons: str,
                   extension_months: int | None) -> PanelOutcome:
    """The chair's decision: immutable, audited, told to the candidate; a completing outcome
    records programme completion through the reviews feature."""
    if panel.outcome is not None or panel.status == PanelStatus.DECIDED:
        raise AlreadyDecided()
    if not can_record_outcome(actor, panel):
        raise DomainError("Only the chair records the outcome, once the review window has "
                          "opened." if panel.status == PanelStatus.SCHEDULED
                          else "This panel was cancelled.")
    assert_cohort_writable(panel.cohort)
    option = _option(option_id)
    months = _months(option, extension_months)
    text = clean_text(reasons, MAX_REASONS + 1)
    if not text:
        raise DomainError("Give the reasons for the outcome: the candidate reads them.",
                          field="reasons")
    if len(text) > MAX_REASONS:
        raise DomainError(f"Keep the reasons to {MAX_REASONS:,} characters or fewer.",
                          field="reasons")
    if not _move(panel, PanelStatus.DECIDED):
        raise AlreadyDecided()
    outcome = PanelOutcome(panel_id=panel.id, option_id=option.id, option_label=option.label,
                           completes_programme=option.completes_programme,
                           extension_months=months, reasons=text, decided_by_id=actor.id)
    db.session.add(outcome)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise AlreadyDecided() from error
    if option.completes_programme:
        _complete(panel, actor, outcome)
    record("panel.outcome_recorded", actor=actor, target=panel, cohort_id=panel.cohort_id,
           candidate_id=panel.candidate_id, outcome=option.label, months=months or "",
           completes=option.completes_programme)
    notify(panel.candidate, "panel_outcome",
           f"Your review panel recorded its outcome: {outcome.label}.",
           path_for("panels.show", panel_id=panel.id),
           dedupe_key=f"panel-outcome:{panel.id}")
    return outcome


def _option(option_id: int | None) -> OutcomeOption:
    option = db.session.get(OutcomeOption, option_id) if option_id else None
    if option is None or option.retired:
        raise DomainError("Choose an outcome.", field="option")
    return option


def _months(option: OutcomeOption, months: int | None) -> int | None:
    if not option.needs_extension:
        return None
    if not months or not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise DomainError(f"Enter the extension in months, from 1 to {MAX_EXTENSION_MONTHS}.",
                          field="extension_months")
    return months


COMPLETED_MEANWHILE = ("Programme completion for this candidate was being recorded at the same "
                       "moment. The outcome was not saved: please send it again.")


def _complete(panel: ReviewPanel, actor, outcome: PanelOutcome) -> None:
    """Programme completion is the reviews feature's record: ask it (a completion already in
    force, e.g. recorded by the button before the panel, stands as it is)."""
    membership = db.session.scalar(select(CohortMembership).where(
        CohortMembership.cohort_id == panel.cohort_id,
        CohortMembership.user_id == panel.candidate_id))
    if membership is None:
        raise DomainError("The candidate is no longer in this cohort.")
    try:
        record_completion(membership, actor, note=f"Review panel outcome: {outcome.label}")
    except AlreadyRecorded as refused:
        if isinstance(refused.__cause__, IntegrityError):
            # Another request recorded completion between the check and the insert: the
            # database refused this one, and on PostgreSQL the transaction is spent. Nothing
            # of this outcome is kept; sent again, it finds that completion and stands by it.
            raise ConflictError(COMPLETED_MEANWHILE) from refused
        return
