"""What the cohort progress page and its spreadsheets show: filters, rows, totals and pages.

Plain data built by `queries.cohort_report`; nothing here reads the database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from ..frameworks.models import Competency
from ..panels.queries import PanelSummary
from ..reviews.progress import STATES, CandidateProgress, CompetencyProgress
from . import pacing

PAGE_SIZE = 100  # candidates per page of the progress page; the files hold every one
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


def page_number(value) -> int:
    """The page asked for in the query string; 1 when missing or not a page number."""
    return _positive_int(value) or 1


@dataclass
class AreaGroup:
    title: str
    competencies: list[Competency]


@dataclass(slots=True)
class Member:
    """A candidate's membership as the report shows it, read as plain columns."""

    id: int
    user_id: int
    status: str
    coach_developer_id: int | None
    completed_at: datetime | None
    name: str
    developer_name: str
    specialisms: list[tuple[int, str, int]] = field(default_factory=list)  # id, name, position


@dataclass
class CandidateRow:
    membership: Member
    judged: list[CompetencyProgress]  # the report's distinct judged states, shared by all rows
    cells: tuple[int, ...]  # per competency, the index of its judged state in `judged`
    met: int = 0
    arrivals: list[datetime] = field(default_factory=list)
    signoff_times: list[datetime] = field(default_factory=list)
    late: pacing.LateCheck | None = None
    panel: PanelSummary | None = None  # their end-of-programme review panel, if any

    @property
    def panel_label(self) -> str:
        return self.panel.label if self.panel else ""

    @cached_property
    def progress(self) -> CandidateProgress:
        """The row as the shared progress type (what the spreadsheets read), made when asked."""
        items = [self.judged[index] for index in self.cells]
        return CandidateProgress(self.membership.user_id,
                                 {item.competency.code: item for item in items})

    @property
    def name(self) -> str:
        return self.membership.name

    @property
    def status_label(self) -> str:
        return MEMBER_STATUS_LABELS.get(self.membership.status, self.membership.status)

    @property
    def specialisms(self) -> list[str]:
        return [name for _, name, _ in self.membership.specialisms]

    @property
    def developer_name(self) -> str:
        return self.membership.developer_name

    @property
    def entries(self) -> int:
        return len(self.arrivals)

    @property
    def last_entry_at(self) -> datetime | None:
        return self.arrivals[-1] if self.arrivals else None


@dataclass
class ReportPage:
    """One page of the report's candidates."""

    page: int
    pages: int
    rows: list[CandidateRow]
    first: int  # position of the first row among all shown, from 1 (0 when there are none)
    last: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


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
    judged: list[CompetencyProgress] = field(default_factory=list)
    cohort_chart: pacing.Chart | None = None
    signoff_months: Counter = field(default_factory=Counter)
    # (candidate, competency code) -> observations the viewer may read (reviews.observed)
    observed: dict[tuple[int, str], int] = field(default_factory=dict)

    @cached_property
    def observed_cells(self) -> dict[int, list[tuple[int, int]]]:
        """candidate -> (column position, observations) of each observed cell."""
        column = {competency.code: position
                  for position, competency in enumerate(self.competencies)}
        cells: dict[int, list[tuple[int, int]]] = {}
        for (candidate, code), count in self.observed.items():
            if code in column and count:
                cells.setdefault(candidate, []).append((column[code], count))
        return cells

    @cached_property
    def state_totals(self) -> dict[str, dict[str, int]]:
        """competency code -> state -> number of candidates shown in that state."""
        totals: dict[str, dict[str, int]] = {}
        # Column by column: each column holds a few distinct judged states, counted in C.
        columns = zip(*(row.cells for row in self.rows), strict=True) if self.rows else \
            ((),) * len(self.competencies)
        for competency, column in zip(self.competencies, columns, strict=True):
            counts = totals[competency.code] = dict.fromkeys(STATES, 0)
            for index, number in Counter(column).items():
                counts[self.judged[index].state] += number
        return totals

    @cached_property
    def complete_count(self) -> int:
        total = len(self.competencies)
        return sum(1 for row in self.rows if total and row.met == total)

    @cached_property
    def late_rows(self) -> list[CandidateRow]:
        return [row for row in self.rows if row.late and row.late.is_late]

    def page(self, number: int, size: int | None = None) -> ReportPage:
        """The rows of one page (the last page when number is beyond it)."""
        size = size or PAGE_SIZE
        count = max(1, -(-len(self.rows) // size))
        number = min(max(number, 1), count)
        rows = self.rows[(number - 1) * size:number * size]
        first = (number - 1) * size + 1 if rows else 0
        return ReportPage(number, count, rows, first, first + len(rows) - 1 if rows else 0)
