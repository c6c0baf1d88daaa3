"""The progress matrix as CSV and as an XLSX workbook (matrix, candidate summary, sign-off log).

Every cell passes through `cells.neutralise`; dates are real spreadsheet dates in UK time.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..timeutil import local
from .cells import neutralise, neutralise_row
from .queries import CandidateRow, CohortReport
from .signoffs import SignoffRecord

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERSON_COLUMNS = ["Candidate", "Status", "Specialisms", "Coach developer"]
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
DATE_FORMAT = "d mmm yyyy"
DATETIME_FORMAT = "d mmm yyyy hh:mm"


def _person(row: CandidateRow) -> list:
    return [row.name, row.status_label, ", ".join(row.specialisms), row.developer_name]


def matrix_header(report: CohortReport) -> list[str]:
    return [*PERSON_COLUMNS, *(c.label for c in report.competencies),
            "Competencies signed off", "Competencies in framework", "Percent signed off"]


def matrix_row(report: CohortReport, row: CandidateRow) -> list:
    states = [row.progress.items[c.code].label for c in report.competencies]
    return [*_person(row), *states, row.progress.met, row.progress.total, row.progress.percent]


def totals_row(report: CohortReport) -> list:
    totals = report.state_totals
    shown = len(report.rows)
    return ["Signed off (candidates)", "", "", "",
            *(f"{totals[c.code]['signed_off']} of {shown}" for c in report.competencies),
            sum(row.progress.met for row in report.rows), "", ""]


def progress_csv(report: CohortReport) -> bytes:
    """The matrix as UTF-8 CSV with a byte-order mark so spreadsheets keep accented names."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(neutralise_row(matrix_header(report)))
    for row in report.rows:
        writer.writerow(neutralise_row(matrix_row(report, row)))
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


def _append(sheet, values: list, formats: dict[int, str] | None = None) -> None:
    # Formatted cells are made before appending: looking the row up again through
    # `sheet.max_row` scans every cell in the sheet, which made big exports quadratic.
    row = [spreadsheet_value(value) for value in values]
    for column, number_format in (formats or {}).items():
        if row[column - 1] is not None:
            row[column - 1] = Cell(sheet, value=row[column - 1])
            row[column - 1].number_format = number_format
    sheet.append(row)


def _style_header(sheet, row: int, freeze: str, widths: list[int]) -> None:
    for cell in sheet[row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = freeze
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _matrix_sheet(sheet, report: CohortReport) -> None:
    sheet.title = "Progress matrix"
    areas = ["", "", "", ""]
    for group in report.areas:
        areas.extend([group.title] + [""] * (len(group.competencies) - 1))
    _append(sheet, [*areas, "", "", ""])
    column = len(PERSON_COLUMNS) + 1
    for group in report.areas:
        if len(group.competencies) > 1:
            sheet.merge_cells(start_row=1, start_column=column, end_row=1,
                              end_column=column + len(group.competencies) - 1)
        column += len(group.competencies)
    _append(sheet, matrix_header(report))
    for row in report.rows:
        _append(sheet, matrix_row(report, row))
    _append(sheet, totals_row(report))
    widths = [28, 12, 22, 22, *([18] * len(report.competencies)), 12, 12, 12]
    _style_header(sheet, 1, "B3", widths)
    _style_header(sheet, 2, "B3", widths)


def _candidate_sheet(sheet, report: CohortReport) -> None:
    weeks = report.late_window_weeks
    _append(sheet, [*PERSON_COLUMNS, "Competencies signed off", "Competencies in framework",
                    "Percent signed off", "Shared entries", "First entry", "Latest entry",
                    f"Entries in the last {weeks} weeks", "Mostly late", "Completed on"])
    for row in report.rows:
        late = row.late
        _append(sheet, [
            *_person(row), row.progress.met, row.progress.total, row.progress.percent / 100,
            row.entries, row.arrivals[0] if row.arrivals else None, row.last_entry_at,
            late.late if late else 0, "Yes" if late and late.is_late else "No",
            row.membership.completed_at,
        ], {7: "0%", 9: DATE_FORMAT, 10: DATE_FORMAT, 13: DATE_FORMAT})
    _style_header(sheet, 1, "B2", [28, 12, 22, 22, 12, 12, 12, 10, 14, 14, 14, 10, 14])


def _signoff_sheet(sheet, log: list[SignoffRecord]) -> None:
    _append(sheet, ["Date", "Candidate", "Competency code", "Competency", "Role", "Decision",
                    "Reviewer", "Entry", "Version", "Content hash (SHA-256)", "Revoked on"])
    for record in log:
        _append(sheet, [
            record.created_at, record.candidate_name, record.competency_code,
            record.competency_title, record.role_label, record.decision_label,
            record.reviewer_name, record.entry_label, record.version_number,
            record.content_hash, record.revoked_at,
        ], {1: DATETIME_FORMAT, 11: DATETIME_FORMAT})
    _style_header(sheet, 1, "A2", [18, 28, 12, 32, 16, 12, 24, 36, 9, 66, 18])


def progress_xlsx(report: CohortReport, log: list[SignoffRecord]) -> bytes:
    """A workbook with the matrix, a candidate summary and the sign-off log."""
    workbook = Workbook()
    _matrix_sheet(workbook.active, report)
    _candidate_sheet(workbook.create_sheet("Candidates"), report)
    _signoff_sheet(workbook.create_sheet("Sign-off log"), log)
    workbook.properties.title = neutralise(f"Progress: {report.cohort.label}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

