"""Read-side queries for the cohort progress page and the spreadsheets built from it.

Every function here runs a fixed number of statements however many candidates a cohort has;
progress states come from the shared read-model in `portfolio.reviews.progress`. Rows are read
as plain columns, not ORM objects: at 600 candidates building objects was most of the time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, exists, literal_column, select, union_all
from sqlalchemy.orm import aliased, joinedload, selectinload

from ..access import is_manager
from ..auth.models import User
from ..database import built_once, read_rows, utcnow
from ..entries.models import Entry, EntryStatus, EntryVersion, PrivacyTier
from ..entries.permissions import visible_entries_rule
from ..extensions import db
from ..frameworks.models import Competency, CompetencyArea
from ..panels.queries import cohort_panel_summaries
from ..programmes.models import (
    CohortMembership,
    MemberRole,
    MembershipStatus,
    Specialism,
    membership_specialisms,
)
from ..reviews.models import Decision, Signoff, SignoffRevocation
from ..reviews.observed import observed_counts
from ..reviews.progress import (
    CompetencyProgress,
    judge,
    refresh_pending_progress,
)
from ..reviews.progress_table import CompetencyProgressRow, Facts
from . import pacing, timeline
from .report import MEMBER_STATUS_LABELS, AreaGroup, CandidateRow, CohortReport, Filters, Member


def candidate_memberships(cohort_id: int) -> list[CohortMembership]:
    """Every candidate membership of a cohort, with user, coach developer and specialisms."""
    return list(db.session.scalars(
        select(CohortMembership)
        .where(CohortMembership.cohort_id == cohort_id,
               CohortMembership.role == MemberRole.CANDIDATE)
        .options(joinedload(CohortMembership.user), joinedload(CohortMembership.coach_developer),
                 selectinload(CohortMembership.specialisms))
    ).unique())


def candidate_members(cohort_id: int) -> list[Member]:
    """Every candidate of a cohort with name, coach developer and specialisms (one statement)."""
    rows = read_rows(_candidate_members_statement(), {"cohort_id": cohort_id})
    members: dict[int, Member] = {}
    for (membership_id, user_id, status, developer_id, completed_at, name, developer_name,
         specialism_id, specialism, position) in rows:
        member = members.get(membership_id)
        if member is None:
            member = members[membership_id] = Member(
                membership_id, user_id, status, developer_id, completed_at, name,
                developer_name or "")
        if specialism_id is not None:
            member.specialisms.append((specialism_id, specialism, position))
    return list(members.values())


@built_once
def _candidate_members_statement():
    developer = aliased(User)
    return (
        select(CohortMembership.id, CohortMembership.user_id, CohortMembership.status,
               CohortMembership.coach_developer_id, CohortMembership.completed_at,
               User.display_name, developer.display_name, Specialism.id, Specialism.name,
               Specialism.position)
        .join(User, User.id == CohortMembership.user_id)
        .outerjoin(developer, developer.id == CohortMembership.coach_developer_id)
        .outerjoin(membership_specialisms,
                   membership_specialisms.c.membership_id == CohortMembership.id)
        .outerjoin(Specialism, Specialism.id == membership_specialisms.c.specialism_id)
        .where(CohortMembership.cohort_id == bindparam("cohort_id"),
               CohortMembership.role == MemberRole.CANDIDATE)
        .order_by(CohortMembership.id, Specialism.position, Specialism.id))


def framework_areas(framework_id: int) -> tuple[list[AreaGroup], list[Competency]]:
    """The framework's areas with their competencies, in order (one statement)."""
    groups: dict[int, AreaGroup] = {}
    for competency, area in db.session.execute(
            select(Competency, CompetencyArea)
            .join(CompetencyArea, CompetencyArea.id == Competency.area_id)
            .where(Competency.framework_id == framework_id)
            .order_by(CompetencyArea.position, CompetencyArea.id, Competency.position,
                      Competency.id)):
        groups.setdefault(area.id, AreaGroup(area.title, [])).competencies.append(competency)
    areas = list(groups.values())
    return areas, [competency for group in areas for competency in group.competencies]


def judged_grid(cohort_id: int, competencies: list[Competency]
                ) -> tuple[list[CompetencyProgress], tuple[int, ...], dict[int, tuple[int, ...]]]:
    """Progress as indexes into one list of judged states (one statement): the cells of a
    candidate with no stored facts, and of each candidate with some.

    Most cells of a large cohort repeat a few (competency, facts) pairs, so each distinct pair
    is judged once and shared.
    """
    judged = [judge(competency) for competency in competencies]
    plain = tuple(range(len(competencies)))
    column = {competency.code: index for index, competency in enumerate(competencies)}
    seen: dict[tuple, int] = {}
    changed: dict[int, list[int]] = {}
    for candidate, code, *fact in stored_fact_rows(cohort_id):
        position = column.get(code)
        if position is None:
            continue
        key = (position, *fact)
        index = seen.get(key)
        if index is None:
            index = seen[key] = len(judged)
            judged.append(judge(competencies[position], Facts(*fact)))
        cells = changed.get(candidate)
        if cells is None:
            cells = changed[candidate] = list(plain)
        cells[position] = index
    return judged, plain, {candidate: tuple(cells) for candidate, cells in changed.items()}


def stored_fact_rows(cohort_id: int) -> list[tuple]:
    """(candidate, code, claimed, awaiting review, developer sign-offs, peer sign-offs) rows of
    the cohort's candidates.

    The same read as `progress_table.stored_facts`, as plain rows: a page of 600 candidates
    judges a handful of distinct facts, so building a Facts object per row was wasted time.
    """
    refresh_pending_progress()
    return read_rows(_stored_facts_statement(), {"cohort_id": cohort_id}).all()


@built_once
def _stored_facts_statement():
    table = CompetencyProgressRow
    candidates = (select(CohortMembership.user_id)
                  .where(CohortMembership.cohort_id == bindparam("cohort_id"),
                         CohortMembership.role == MemberRole.CANDIDATE))
    return (select(table.candidate_id, table.competency_code, table.claimed,
                   table.awaiting_review, table.developer_signoffs, table.peer_signoffs)
            .where(table.candidate_id.in_(candidates)))


def pacing_moments(cohort_id: int, viewer) -> tuple[dict[int, list[datetime]],
                                                   dict[int, list[datetime]]]:
    """Per candidate of the cohort, sorted: when each shared entry the viewer may read was
    first saved, and when each unrevoked 'signed off' decision was made (one statement)."""
    arrivals: dict[int, list[datetime]] = defaultdict(list)
    signoffs: dict[int, list[datetime]] = defaultdict(list)
    rows = read_rows(
        _pacing_statement(is_manager(viewer)),
        {"cohort_id": cohort_id, "viewer_id": viewer.id}).all()  # fetchall: 20% faster
    for candidate_id, moment, kind in rows:
        (signoffs if kind else arrivals)[candidate_id].append(moment)
    for moments in (*arrivals.values(), *signoffs.values()):
        moments.sort()
    return arrivals, signoffs


@built_once
def _pacing_statement(manager: bool):
    """`pacing_moments`' statement: the matrix reads a couple of thousand moments per page,
    so it is built once per shape (the cohort and the viewer are bound)."""
    candidates = (select(CohortMembership.user_id)
                  .where(CohortMembership.cohort_id == bindparam("cohort_id"),
                         CohortMembership.role == MemberRole.CANDIDATE))
    # Version 1 is the first save (numbers only grow): one indexed row per entry, no grouping.
    first_saved = (
        select(Entry.owner_id, EntryVersion.created_at, literal_column("0"))
        .join(EntryVersion, (EntryVersion.entry_id == Entry.id) & (EntryVersion.number == 1))
        .where(Entry.owner_id.in_(candidates), Entry.privacy != PrivacyTier.PRIVATE,
               Entry.status == EntryStatus.PUBLISHED,
               visible_entries_rule(bindparam("viewer_id"), manager)))
    # NOT EXISTS, not an outer join filtered on NULL: PostgreSQL planned the join as reading
    # every sign-off of every cohort (9 of the matrix's 23 ms in the database); as an anti
    # join it keeps to the cohort's candidates (1.5 ms).
    signed = (
        select(Signoff.candidate_id, Signoff.created_at, literal_column("1"))
        .where(Signoff.candidate_id.in_(candidates), Signoff.decision == Decision.SIGNED_OFF,
               ~exists().where(SignoffRevocation.signoff_id == Signoff.id)))
    return union_all(first_saved, signed)


def cohort_report(cohort, viewer, filters: Filters, late_window_weeks: int) -> CohortReport:
    """Everything the progress page, CSV and XLSX show for one cohort, as the viewer may see it."""
    members = candidate_members(cohort.id)
    areas, competencies = framework_areas(cohort.framework_id)
    judged, plain, grid = judged_grid(cohort.id, competencies)
    arrivals, signoffs = pacing_moments(cohort.id, viewer)
    panels = cohort_panel_summaries(cohort.id)
    met = [item.is_met for item in judged]
    plain_met = sum(met[index] for index in plain)
    all_rows = []
    for member in members:
        cells = grid.get(member.user_id)
        count = sum(met[index] for index in cells) if cells else plain_met
        all_rows.append(CandidateRow(member, judged, cells or plain, count,
                                     arrivals.get(member.user_id, []),
                                     signoffs.get(member.user_id, []),
                                     panel=panels.get(member.user_id)))
    rows = sort_rows([row for row in all_rows if _matches(row, filters)], filters.sort)
    report = CohortReport(
        cohort=cohort, filters=filters, areas=areas, competencies=competencies, rows=rows,
        all_rows=all_rows, months=[], late_window_weeks=late_window_weeks,
        specialism_choices=_specialism_choices(members),
        developer_choices=_developer_choices(members), judged=judged,
        observed=observed_counts(viewer, cohort_id=cohort.id))
    _add_pacing(report, cohort)
    return report


def _matches(row: CandidateRow, filters: Filters) -> bool:
    member = row.membership
    if filters.status == "current" and member.status == MembershipStatus.WITHDRAWN:
        return False
    if filters.status not in ("current", "all") and member.status != filters.status:
        return False
    if filters.developer and member.coach_developer_id != filters.developer:
        return False
    return not (filters.specialism and filters.specialism not in
                {specialism_id for specialism_id, _, _ in member.specialisms})


STATUS_ORDER = {status: index for index, status in enumerate(MEMBER_STATUS_LABELS)}


def sort_rows(rows: list[CandidateRow], sort: str) -> list[CandidateRow]:
    def by_name(row):
        return (row.name.casefold(), row.membership.id)

    rows = sorted(rows, key=by_name)
    if sort == "progress":
        return sorted(rows, key=lambda row: -row.met)
    if sort == "progress_low":
        return sorted(rows, key=lambda row: row.met)
    if sort == "specialism":
        return sorted(rows, key=lambda row: (not row.specialisms,
                                             ", ".join(row.specialisms).casefold()))
    if sort == "developer":
        return sorted(rows, key=lambda row: (not row.developer_name,
                                             row.developer_name.casefold()))
    if sort == "status":
        return sorted(rows, key=lambda row: STATUS_ORDER.get(row.membership.status, 99))
    return rows


def _specialism_choices(members: list[Member]) -> list[tuple[int, str]]:
    seen = {item[0]: item for member in members for item in member.specialisms}
    return [(item_id, name) for item_id, name, _ in
            sorted(seen.values(), key=lambda item: (item[2], item[1]))]


def _developer_choices(members: list[Member]) -> list[tuple[int, str]]:
    seen = {m.coach_developer_id: m.developer_name for m in members
            if m.coach_developer_id is not None}
    return sorted(seen.items(), key=lambda item: item[1].casefold())


def _add_pacing(report: CohortReport, cohort) -> None:
    """Months to chart, late flags and the cohort's sign-offs per month, for the rows shown."""
    firsts = [moments[0] for row in report.rows
              for moments in (row.arrivals, row.signoff_times) if moments]
    lasts = [moments[-1] for row in report.rows
             for moments in (row.arrivals, row.signoff_times) if moments]
    start = min(cohort.onboarding_on, pacing.month_of(min(firsts)) if firsts else date.max)
    end = max(cohort.ends_on, pacing.month_of(max(lasts)) if lasts else date.min)
    report.months = pacing.month_range(start, end)
    months = timeline.Months(report.months)
    weeks = report.late_window_weeks
    window_start = cohort.ends_on - timedelta(weeks=weeks)
    window = timeline.day_span(window_start, cohort.ends_on)
    report.signoff_months = months.count(
        [moment for row in report.rows for moment in row.signoff_times])
    for row in report.rows:
        row.late = pacing.LateCheck(total=len(row.arrivals),
                                    late=timeline.count_within(row.arrivals, window),
                                    window_start=window_start)
    this_month = pacing.month_of(utcnow())
    report.cohort_chart = pacing.cohort_chart(report.months, report.signoff_months, this_month)
