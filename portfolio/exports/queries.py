"""Read-side queries for the cohort progress page and the spreadsheets built from it.

Every function here runs a fixed number of statements however many candidates a cohort has;
progress states come from the shared read-model in `portfolio.reviews.progress`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..auth.models import User
from ..database import utcnow
from ..entries.models import Entry, EntryVersion
from ..entries.permissions import visible_entries_filter
from ..extensions import db
from ..frameworks.models import Competency, CompetencyArea
from ..programmes.models import CohortMembership
from ..reviews.models import Signoff, SignoffRevocation
from ..reviews.progress import STATES, CandidateProgress, progress_for
from . import pacing

MEMBER_STATUS_LABELS = {
    "invited": "Invited",
    "active": "Active",
    "deferred": "Deferred",
    "completed": "Completed",
    "withdrawn": "Withdrawn",
}
STATUS_FILTERS = {"current": "All but withdrawn", "all": "All, with withdrawn",
                  **MEMBER_STATUS_LABELS}
SORTS = {
    "name": "Name",
    "progress": "Progress, most signed off first",
    "progress_low": "Progress, least signed off first",
    "specialism": "Specialism",
    "developer": "Coach developer",
    "status": "Status",
}


@dataclass
class Filters:
    specialism: int | None = None
    developer: int | None = None
    status: str = "current"
    sort: str = "name"

    @classmethod
    def from_args(cls, args) -> Filters:
        """Read filters from the query string; anything unrecognised means 'no filter'."""
        status = args.get("status", "current")
        sort = args.get("sort", "name")
        return cls(specialism=_positive_int(args.get("specialism")),
                   developer=_positive_int(args.get("developer")),
                   status=status if status in STATUS_FILTERS else "current",
                   sort=sort if sort in SORTS else "name")

    @property
    def is_filtered(self) -> bool:
        return bool(self.specialism or self.developer or self.status != "current")

    def as_args(self) -> dict:
        args = {"status": self.status, "sort": self.sort}
        if self.specialism:
            args["specialism"] = self.specialism
        if self.developer:
            args["developer"] = self.developer
        return args


def _positive_int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**62 else None


@dataclass
class AreaGroup:
    title: str
    competencies: list[Competency]


@dataclass
class CandidateRow:
    membership: CohortMembership
    progress: CandidateProgress
    arrivals: list[datetime] = field(default_factory=list)
    signoff_times: list[datetime] = field(default_factory=list)
    late: pacing.LateCheck | None = None
    chart: pacing.Chart | None = None

    @property
    def user(self) -> User:
        return self.membership.user

    @property
    def name(self) -> str:
        return self.membership.user.display_name

    @property
    def status_label(self) -> str:
        return MEMBER_STATUS_LABELS.get(self.membership.status, self.membership.status)

    @property
    def specialisms(self) -> list[str]:
        return [specialism.name for specialism in self.membership.specialisms]

    @property
    def developer_name(self) -> str:
        developer = self.membership.coach_developer
        return developer.display_name if developer else ""

    @property
    def entries(self) -> int:
        return len(self.arrivals)

    @property
    def last_entry_at(self) -> datetime | None:
        return max(self.arrivals) if self.arrivals else None


@dataclass
class CohortReport:
    cohort: object
    filters: Filters
    areas: list[AreaGroup]
    competencies: list[Competency]
    rows: list[CandidateRow]
    all_rows: list[CandidateRow]
    months: list[date]
    late_window_weeks: int
    specialism_choices: list[tuple[int, str]]
    developer_choices: list[tuple[int, str]]
    cohort_chart: pacing.Chart | None = None
    signoff_months: Counter = field(default_factory=Counter)

    @property
    def state_totals(self) -> dict[str, dict[str, int]]:
        """competency code -> state -> number of candidates shown in that state."""
        totals: dict[str, dict[str, int]] = {c.code: dict.fromkeys(STATES, 0)
                                             for c in self.competencies}
        for row in self.rows:
            for code, item in row.progress.items.items():
                totals[code][item.state] += 1
        return totals

    @property
    def complete_count(self) -> int:
        return sum(row.progress.is_complete for row in self.rows)

    @property
    def late_rows(self) -> list[CandidateRow]:
        return [row for row in self.rows if row.late and row.late.is_late]


def candidate_memberships(cohort_id: int) -> list[CohortMembership]:
    """Every candidate membership of a cohort, with user, coach developer and specialisms."""
    return list(db.session.scalars(
        select(CohortMembership)
        .where(CohortMembership.cohort_id == cohort_id, CohortMembership.role == "candidate")
        .options(joinedload(CohortMembership.user), joinedload(CohortMembership.coach_developer),
                 selectinload(CohortMembership.specialisms))
    ).unique())


def framework_areas(framework_id: int) -> tuple[list[AreaGroup], list[Competency]]:
    """The framework's areas with their competencies, in order (two statements)."""
    areas = list(db.session.scalars(select(CompetencyArea).where(
        CompetencyArea.framework_id == framework_id).order_by(CompetencyArea.position,
                                                             CompetencyArea.id)))
    competencies = list(db.session.scalars(select(Competency).where(
        Competency.framework_id == framework_id).order_by(Competency.position, Competency.id)))
    by_area = defaultdict(list)
    for competency in competencies:
        by_area[competency.area_id].append(competency)
    groups = [AreaGroup(area.title, by_area[area.id]) for area in areas if by_area[area.id]]
    return groups, [competency for group in groups for competency in group.competencies]


def entry_arrivals(candidate_ids: list[int], viewer) -> dict[int, list[datetime]]:
    """When each shared entry the viewer may read was first saved, per candidate."""
    result: dict[int, list[datetime]] = defaultdict(list)
    if not candidate_ids:
        return result
    rows = db.session.execute(
        select(Entry.owner_id, func.min(EntryVersion.created_at))
        .join(EntryVersion, EntryVersion.entry_id == Entry.id)
        .where(Entry.owner_id.in_(candidate_ids), Entry.privacy != "private",
               Entry.status == "published", visible_entries_filter(viewer))
        .group_by(Entry.id, Entry.owner_id))
    for owner_id, first_saved in rows:
        result[owner_id].append(first_saved)
    return result


def valid_signoff_times(candidate_ids: list[int]) -> dict[int, list[datetime]]:
    """When each unrevoked 'signed off' decision was made, per candidate."""
    result: dict[int, list[datetime]] = defaultdict(list)
    if not candidate_ids:
        return result
    rows = db.session.execute(
        select(Signoff.candidate_id, Signoff.created_at)
        .outerjoin(SignoffRevocation, SignoffRevocation.signoff_id == Signoff.id)
        .where(Signoff.candidate_id.in_(candidate_ids), Signoff.decision == "signed_off",
               SignoffRevocation.id.is_(None)))
    for candidate_id, moment in rows:
        result[candidate_id].append(moment)
    return result


def cohort_report(cohort, viewer, filters: Filters, late_window_weeks: int) -> CohortReport:
    """Everything the progress page, CSV and XLSX show for one cohort, as the viewer may see it."""
    memberships = candidate_memberships(cohort.id)
    areas, competencies = framework_areas(cohort.framework_id)
    ids = [membership.user_id for membership in memberships]
    progress = progress_for(ids, competencies)
    arrivals = entry_arrivals(ids, viewer)
    signoffs = valid_signoff_times(ids)
    all_rows = [CandidateRow(membership, progress[membership.user_id],
                             sorted(arrivals.get(membership.user_id, [])),
                             sorted(signoffs.get(membership.user_id, [])))
                for membership in memberships]
    rows = sort_rows([row for row in all_rows if _matches(row, filters)], filters.sort)
    report = CohortReport(
        cohort=cohort, filters=filters, areas=areas, competencies=competencies, rows=rows,
        all_rows=all_rows, months=[], late_window_weeks=late_window_weeks,
        specialism_choices=_specialism_choices(memberships),
        developer_choices=_developer_choices(memberships))
    _add_pacing(report, cohort)
    return report


def _matches(row: CandidateRow, filters: Filters) -> bool:
    membership = row.membership
    if filters.status == "current" and membership.status == "withdrawn":
        return False
    if filters.status not in ("current", "all") and membership.status != filters.status:
        return False
    if filters.developer and membership.coach_developer_id != filters.developer:
        return False
    return not (filters.specialism and filters.specialism not in
                {specialism.id for specialism in membership.specialisms})


STATUS_ORDER = {status: index for index, status in enumerate(MEMBER_STATUS_LABELS)}


def sort_rows(rows: list[CandidateRow], sort: str) -> list[CandidateRow]:
    def by_name(row):
        return (row.name.casefold(), row.membership.id)

    rows = sorted(rows, key=by_name)
    if sort == "progress":
        return sorted(rows, key=lambda row: -row.progress.met)
    if sort == "progress_low":
        return sorted(rows, key=lambda row: row.progress.met)
    if sort == "specialism":
        return sorted(rows, key=lambda row: (not row.specialisms,
                                             ", ".join(row.specialisms).casefold()))
    if sort == "developer":
        return sorted(rows, key=lambda row: (not row.developer_name,
                                             row.developer_name.casefold()))
    if sort == "status":
        return sorted(rows, key=lambda row: STATUS_ORDER.get(row.membership.status, 99))
    return rows


def _specialism_choices(memberships) -> list[tuple[int, str]]:
    seen = {specialism.id: specialism for membership in memberships
            for specialism in membership.specialisms}
    return [(item.id, item.name) for item in sorted(seen.values(),
                                                    key=lambda s: (s.position, s.name))]


def _developer_choices(memberships) -> list[tuple[int, str]]:
    seen = {m.coach_developer.id: m.coach_developer.display_name for m in memberships
            if m.coach_developer is not None}
    return sorted(seen.items(), key=lambda item: item[1].casefold())


def _add_pacing(report: CohortReport, cohort) -> None:
    moments = [moment for row in report.rows for moment in (*row.arrivals, *row.signoff_times)]
    start = min([cohort.onboarding_on, *(pacing.month_of(m) for m in moments)])
    end = max([cohort.ends_on, *(pacing.month_of(m) for m in moments)])
    report.months = pacing.month_range(start, end)
    for row in report.rows:
        entries = Counter(pacing.month_of(moment) for moment in row.arrivals)
        signed = Counter(pacing.month_of(moment) for moment in row.signoff_times)
        report.signoff_months.update(signed)
        row.chart = pacing.sparkline(report.months, entries, signed)
        row.late = pacing.late_check(row.arrivals, cohort.ends_on, report.late_window_weeks)
    this_month = pacing.month_of(utcnow())
    report.cohort_chart = pacing.cohort_chart(report.months, report.signoff_months, this_month)
