"""The progress matrix as CSV and as an XLSX workbook (matrix, candidate summary, sign-off log).

Every cell passes through `cells.neutralise`; dates are real spreadsheet dates in UK time.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from ..cells import neutralise, neutralise_row
from ..reviews.observed import observed_label
from ..timeutil import local
from . import xlsx
from .queries import CandidateRow, CohortReport
from .signoffs import SignoffRecord
from .xlsx import ILLEGAL_CHARACTERS_RE, get_column_letter

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERSON_COLUMNS = ["Candidate", "Status", "Specialisms", "Coach developer"]
DATE_FORMAT = "d mmm yyyy"
DATETIME_FORMAT = "d mmm yyyy hh:mm"


def _person(row: CandidateRow) -> list:
    return [row.name, row.status_label, ", ".join(row.specialisms), row.developer_name]


def matrix_header(report: CohortReport) -> list[str]:
    return [*PERSON_COLUMNS, *(c.label for c in report.competencies),
            "Competencies signed off", "Competencies in framework", "Percent signed off",
            "Review panel"]


def state_labels(report: CohortReport) -> list[str]:
    """The label of each of the report's distinct judged states, which rows index into."""
    return [state.label for state in report.judged]


def matrix_row(report: CohortReport, row: CandidateRow, labels: list[str]) -> list:
    total = len(report.competencies)
    percent = round(100 * row.met / total) if total else 0
    cells = [labels[index] for index in row.cells]
    for position, count in report.observed_cells.get(row.membership.user_id, ()):
        cells[position] = f"{cells[position]}; {observed_label(count)}"
    return [*_person(row), *cells, row.met, total, percent, row.panel_label]


def totals_row(report: CohortReport) -> list:
    totals = report.state_totals
    shown = len(report.rows)
    return ["Signed off (candidates)", "", "", "",
            *(f"{totals[c.code]['signed_off']} of {shown}" for c in report.competencies),
            sum(row.met for row in report.rows), "", "", ""]


def progress_csv(report: CohortReport) -> bytes:
    """The matrix as UTF-8 CSV with a byte-order mark so spreadsheets keep accented names."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(neutralise_row(matrix_header(report)))
    labels = state_labels(report)
    for row in report.rows:
        writer.writerow(neutralise_row(matrix_row(report, row, labels)))
    writer.writerow(neutralise_row(totals_row(report)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def spreadsheet_value(value):
    """A value a workbook can hold: neutralised text without XML-illegal control characters,
    or a zone-free UK-time date."""
    if isinstance(value, datetime):
        return local(value).replace(tzinfo=None)
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _values(values: list) -> list:
    return [spreadsheet_value(value) for value in values]


def _formats(formats: dict[int, str]) -> dict[int, int]:
    return {column: xlsx.FORMATS[number_format] for column, number_format in formats.items()}


def _matrix_sheet(report: CohortReport) -> xlsx.Sheet:
    sheet = xlsx.Sheet("Progress matrix", [28, 12, 22, 22, *([18] * len(report.competencies)),
                                           12, 12, 12, 26], freeze="B3")
    areas = ["", "", "", ""]
    column = len(PERSON_COLUMNS) + 1
    for group in report.areas:
        areas.extend([group.title] + [""] * (len(group.competencies) - 1))
        if len(group.competencies) > 1:
            sheet.merges.append(f"{get_column_letter(column)}1:"
                                f"{get_column_letter(column + len(group.competencies) - 1)}1")
        column += len(group.competencies)
    sheet.append(_values([*areas, "", "", "", ""]), style=xlsx.HEADER)
    sheet.append(_values(matrix_header(report)), style=xlsx.HEADER)
    labels = state_labels(report)  # made once, not once per cell (600 × 25 is 15,000 cells)
    for row in report.rows:
        sheet.append(_values(matrix_row(report, row, labels)))
    sheet.append(_values(totals_row(report)))
    return sheet


def _candidate_sheet(report: CohortReport) -> xlsx.Sheet:
    weeks = report.late_window_weeks
    sheet = xlsx.Sheet("Candidates", [28, 12, 22, 22, 12, 12, 12, 10, 14, 14, 14, 10, 14, 26,
                                      14], freeze="B2")
    sheet.append(_values([*PERSON_COLUMNS, "Competencies signed off",
                          "Competencies in framework", "Percent signed off", "Shared entries",
                          "First entry", "Latest entry", f"Entries in the last {weeks} weeks",
                          "Mostly late", "Completed on", "Review panel",
                          "Panel decided on"]), style=xlsx.HEADER)
    formats = _formats({7: "0%", 9: DATE_FORMAT, 10: DATE_FORMAT, 13: DATE_FORMAT,
                        15: DATE_FORMAT})
    total = len(report.competencies)
    for row in report.rows:
        late = row.late
        percent = round(100 * row.met / total) if total else 0
        sheet.append(_values([
            *_person(row), row.met, total, percent / 100,
            row.entries, row.arrivals[0] if row.arrivals else None, row.last_entry_at,
            late.late if late else 0, "Yes" if late and late.is_late else "No",
            row.membership.completed_at, row.panel_label,
            row.panel.decided_at if row.panel else None,
        ]), formats)
    return sheet


def _signoff_sheet(log: list[SignoffRecord]) -> xlsx.Sheet:
    sheet = xlsx.Sheet("Sign-off log", [18, 28, 12, 32, 16, 12, 24, 36, 9, 66, 18],
                       freeze="A2")
    sheet.append(["Date", "Candidate", "Competency code", "Competency", "Role", "Decision",
                  "Reviewer", "Entry", "Version", "Content hash (SHA-256)", "Revoked on"],
                 style=xlsx.HEADER)
    formats = _formats({1: DATETIME_FORMAT, 11: DATETIME_FORMAT})
    for record in log:
        sheet.append(_values([
            record.created_at, record.candidate_name, record.competency_code,
            record.competency_title, record.role_label, record.decision_label,
            record.reviewer_name, record.entry_label, record.version_number,
            record.content_hash, record.revoked_at,
        ]), formats)
    return sheet


def progress_xlsx(report: CohortReport, log: list[SignoffRecord]) -> bytes:
    """A workbook with the matrix, a candidate summary and the sign-off log."""
    return xlsx.workbook_bytes(
        [_matrix_sheet(report), _candidate_sheet(report), _signoff_sheet(log)],
        title=neutralise(f"Progress: {report.cohort.label}"))
