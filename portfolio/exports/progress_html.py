"""The progress page's repeated fragments (matrix cells, small charts), built in Python.

A Jinja loop spends about 10 µs on each matrix cell, which for 100 candidates × 25
competencies was most of the page's time; here each distinct judged state is turned into its
cell once per request and a row is a join of those strings (about fifty times faster). Every
value that is not a number passes through markupsafe's `escape`; `_built` marks safe only what
this module put together from fixed tags, numbers and escaped text.
"""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

from ..reviews.observed import MARKER, observed_label
from ..reviews.progress import CompetencyProgress
from . import timeline
from .report import CandidateRow, CohortReport


def state_cell(item: CompetencyProgress, observed: int = 0) -> str:
    """One matrix cell: the symbol for the eye, the code and state in words for everyone else
    (shown as words, beside the symbol, on a phone); an observed cell adds its marker and
    the number of observations in words."""
    marker = (f'<span class="matrix__observed" aria-hidden="true">{MARKER}</span>'
              if observed else "")
    words = f", {observed_label(observed)}" if observed else ""
    return (f'<td class="matrix__cell state--{item.state}">'
            f'<span class="matrix__symbol" aria-hidden="true">{item.symbol}</span>{marker}'
            f'<span class="matrix__words"><span class="matrix__code">'
            f'{escape(item.competency.code)}</span> {escape(item.label)}{words}</span></td>')


def matrix_cells(report: CohortReport, rows: list[CandidateRow]) -> list[Markup]:
    """Each row's competency cells, in column order, as one fragment per row."""
    built: dict[int, str] = {}
    observed_built: dict[tuple[int, int], str] = {}
    fragments = []
    for row in rows:
        parts = []
        for index in row.cells:
            cell = built.get(index)
            if cell is None:
                cell = built[index] = state_cell(report.judged[index])
            parts.append(cell)
        for position, count in report.observed_cells.get(row.membership.user_id, ()):
            key = (row.cells[position], count)
            if key not in observed_built:
                observed_built[key] = state_cell(report.judged[key[0]], count)
            parts[position] = observed_built[key]
        fragments.append(_built(parts))
    return fragments


class Sparklines:
    """Each candidate's months as a small inline SVG: entries as bars above the line, sign-offs
    as bars below it, each bar titled with its month and number.

    Month positions, names and bounds are worked out once per page, not once per candidate,
    and each distinct bar (kind, month, number, the row's peak) is written once per page:
    rows repeat the same few.
    """

    STEP, HALF = 10, 16
    KINDS = (("entries", "entries", True), ("signoffs", "sign-offs", False))

    def __init__(self, months: list[date]):
        self.months = timeline.Months(months)
        self.names = [f"{month:%B %Y}" for month in months]
        self.width = max(self.STEP * len(months), self.STEP)
        self.height = 2 * self.HALF + 2
        self.baseline = self.HALF + 1
        self._bars: dict[tuple[int, int, int, int], str] = {}

    def draw(self, row: CandidateRow) -> Markup:
        entries, signoffs = (self.months.per_month(row.arrivals),
                             self.months.per_month(row.signoff_times))
        summary = (f"{row.name}: {len(row.arrivals)} entries and {len(row.signoff_times)} "
                   "sign-offs")
        width, baseline = self.width, self.baseline
        parts = [f'<svg class="spark" viewBox="0 0 {width} {self.height}" width="{width}" '
                 f'height="{self.height}" role="img" aria-label="{escape(summary)}" '
                 f'focusable="false"><line class="spark__axis" x1="0" x2="{width}" '
                 f'y1="{baseline}" y2="{baseline}"></line>']
        peak = max(*entries, *signoffs, 1)
        bars = self._bars
        for kind, counts in enumerate((entries, signoffs)):
            for position, count in enumerate(counts):
                if count:
                    key = (kind, position, count, peak)
                    bar = bars.get(key)
                    if bar is None:
                        bar = bars[key] = self._bar(kind, position, count, peak)
                    parts.append(bar)
        parts.append("</svg>")
        return _built(parts)

    def _bar(self, kind: int, position: int, count: int, peak: int) -> str:
        name, noun, above = self.KINDS[kind]
        height = round(self.HALF * count / peak, 2)
        if not height:
            return ""
        y = round(self.baseline - height, 2) if above else self.baseline
        return (f'<rect class="spark__{name}" x="{position * self.STEP + 1}" y="{y}" '
                f'width="{self.STEP - 2}" height="{height}"><title>'
                f'{self.names[position]}: {count} {noun}</title></rect>')


def sparklines(report: CohortReport, rows: list[CandidateRow]) -> list[Markup]:
    """The month-by-month chart of each row, in order."""
    drawer = Sparklines(report.months)
    return [drawer.draw(row) for row in rows]


def _built(parts: list[str]) -> Markup:
    """HTML made in this module: fixed tags, numbers and `escape`d text, nothing else."""
    return Markup("".join(parts))  # noqa: S704  # nosec B704
