"""CSV and XLSX of the progress matrix, opened back the way a spreadsheet would read them."""

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portfolio.audit.models import AuditEvent
from portfolio.extensions import db
from tests.exports.builders import seeded_cohort
from tests.factories import add_member, make_user

FORMULA_NAMES = ['=HYPERLINK("http://evil.example","Click")', "+1+1", "-2+3", "@SUM(A1:A2)",
                 "\tTabbed", "\rReturned"]


def _csv(client, login, user, cohort, **args):
    login(user)
    response = client.get(f"/exports/cohorts/{cohort.id}/progress.csv", query_string=args)
    assert response.status_code == 200
    text = response.get_data().decode("utf-8-sig")
    return response, list(csv.reader(io.StringIO(text, newline="")))


def _xlsx(client, login, user, cohort, **args):
    login(user)
    response = client.get(f"/exports/cohorts/{cohort.id}/progress.xlsx", query_string=args)
    assert response.status_code == 200
    return response, load_workbook(io.BytesIO(response.get_data()))


def _by_name(rows, header):
    return {row[0]: dict(zip(header, row, strict=False)) for row in rows}


def test_csv_holds_the_right_state_for_each_candidate(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    _, rows = _csv(client, login, s.lead, s.cohort)
    header = rows[0]
    assert header[:4] == ["Candidate", "Status", "Specialisms", "Coach developer"]
    people = _by_name(rows[1:-1], header)
    assert set(people) == {"Aisha Author", "Pat Peer", "Olu Outsider"}
    author, peer, outsider = people["Aisha Author"], people["Pat Peer"], people["Olu Outsider"]
    assert author["VP1 Competency VP1"] == "Signed off (1 of 1)"
    assert author["VP2 Competency VP2"] == "Awaiting review"
    assert author["RP1 Competency RP1"] == "Claimed"
    assert author["Competencies signed off"] == "1"
    assert author["Coach developer"] == "Dev Eloper"
    assert peer["VP1 Competency VP1"] == "Claimed"
    assert peer["VP2 Competency VP2"] == "Not started"
    assert {outsider[c.label] for c in (s.vp1, s.vp2, s.rp1)} == {"Not started"}
    assert rows[-1][0] == "Signed off (candidates)"
    assert rows[-1][header.index("VP1 Competency VP1")] == "1 of 3"


def test_csv_follows_the_page_filters(app, client, login):
    s = seeded_cohort()
    s.outsider_membership.status = "withdrawn"
    db.session.commit()
    _, rows = _csv(client, login, s.lead, s.cohort)
    assert "Olu Outsider" not in {row[0] for row in rows}
    _, rows = _csv(client, login, s.lead, s.cohort, status="all")
    assert "Olu Outsider" in {row[0] for row in rows}


def test_formula_looking_names_are_neutralised_in_csv_and_xlsx(app, client, login):
    s = seeded_cohort()
    for name in FORMULA_NAMES:
        add_member(s.cohort, make_user(name=name))
    db.session.commit()
    _, rows = _csv(client, login, s.lead, s.cohort)
    names = {row[0] for row in rows}
    for name in FORMULA_NAMES:
        assert "'" + name in names
        assert name not in names
    _, workbook = _xlsx(client, login, s.lead, s.cohort)
    for sheet in ("Progress matrix", "Candidates"):
        cells = [cell for row in workbook[sheet].iter_rows() for cell in row]
        assert not [cell for cell in cells if cell.data_type == "f"], sheet
        # XML reads a carriage return back as a newline; the apostrophe is what matters.
        values = {cell.value for cell in cells}
        for name in FORMULA_NAMES:
            assert "'" + name.replace("\r", "\n") in values


def test_unicode_names_survive_both_formats(app, client, login):
    s = seeded_cohort()
    names = ["Zoë Ní Bhriain", "Łukasz Żółć", "陈静", "Ayşe Öztürk"]
    for name in names:
        add_member(s.cohort, make_user(name=name))
    db.session.commit()
    _, rows = _csv(client, login, s.lead, s.cohort)
    assert set(names) <= {row[0] for row in rows}
    _, workbook = _xlsx(client, login, s.lead, s.cohort)
    column = {row[0].value for row in workbook["Progress matrix"].iter_rows(min_row=3)}
    assert set(names) <= column


def test_control_characters_in_names_do_not_break_the_workbook(app, client, login):
    s = seeded_cohort()
    add_member(s.cohort, make_user(name="Bell\x07 Ringer\x1b"))
    db.session.commit()
    _, workbook = _xlsx(client, login, s.lead, s.cohort)
    assert "Bell Ringer" in {row[0].value for row in workbook["Progress matrix"].iter_rows()}


def test_xlsx_has_matrix_summary_and_signoff_log(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    _, workbook = _xlsx(client, login, s.lead, s.cohort)
    assert workbook.sheetnames == ["Progress matrix", "Candidates", "Sign-off log"]

    matrix = workbook["Progress matrix"]
    assert matrix.freeze_panes == "B3"
    assert matrix["E1"].value == "Vision & planning"
    header = [cell.value for cell in matrix[2]]
    states = {row[0]: dict(zip(header, row, strict=False))
              for row in matrix.iter_rows(min_row=3, values_only=True)}
    assert states["Aisha Author"]["VP1 Competency VP1"] == "Signed off (1 of 1)"
    assert states["Aisha Author"]["VP2 Competency VP2"] == "Awaiting review"
    assert states["Pat Peer"]["VP1 Competency VP1"] == "Claimed"
    assert matrix.column_dimensions["A"].width >= 20

    summary = workbook["Candidates"]
    assert summary.freeze_panes == "B2"
    row = {summary.cell(1, c).value: summary.cell(r, c) for r in range(2, summary.max_row + 1)
           for c in range(1, summary.max_column + 1) if summary.cell(r, 1).value == "Aisha Author"}
    assert row["Shared entries"].value == 2  # the private entry is not counted
    assert row["Latest entry"].is_date
    assert row["Percent signed off"].number_format == "0%"

    log = workbook["Sign-off log"]
    assert log.freeze_panes == "A2"
    first = [cell for cell in log[2]]
    assert first[0].is_date and isinstance(first[0].value, datetime)
    assert first[1].value == "Aisha Author"
    assert first[2].value == "VP1" and first[5].value == "Signed off"
    assert first[7].value == "Block starts with under-17s"
    assert first[8].value == 1 and first[9].value == s.signoff.content_hash


def test_downloads_have_name_type_and_length(app, client, login):
    s = seeded_cohort()
    s.cohort.name = "Talent Ü"
    db.session.commit()
    response, _ = _csv(client, login, s.lead, s.cohort)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="progress Talent U ')
    assert "filename*=UTF-8''progress%20Talent%20%C3%9C%20" in disposition
    assert int(response.headers["Content-Length"]) == len(response.get_data())
    response, _ = _xlsx(client, login, s.lead, s.cohort)
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert ".xlsx" in response.headers["Content-Disposition"]


def test_every_spreadsheet_download_is_audited(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    _csv(client, login, s.developer, s.cohort)
    _xlsx(client, login, s.developer, s.cohort)
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.actor_id == s.developer.id, AuditEvent.cohort_id == s.cohort.id)).all()
    assert actions == ["export.progress_csv", "export.progress_xlsx"]


@pytest.mark.parametrize("role", ["author", "peer", "outsider", "other_developer",
                                  "other_candidate", "stranger"])
def test_spreadsheets_answer_404_without_rights(app, client, login, role):
    s = seeded_cohort()
    db.session.commit()
    login(getattr(s, role))
    for suffix in ("csv", "xlsx"):
        response = client.get(f"/exports/cohorts/{s.cohort.id}/progress.{suffix}")
        assert response.status_code == 404


def test_xlsx_matrix_holds_the_same_cells_as_the_csv(app, client, login):
    s = seeded_cohort()
    add_member(s.cohort, make_user(name="=Formula Looking"))
    db.session.commit()
    _, rows = _csv(client, login, s.lead, s.cohort)
    _, workbook = _xlsx(client, login, s.lead, s.cohort)
    matrix = [["" if value is None else str(value) for value in row]
              for row in workbook["Progress matrix"].iter_rows(min_row=2, values_only=True)]
    assert matrix == rows
    summary = {row[0]: row[4:7] for row in
               workbook["Candidates"].iter_rows(min_row=2, values_only=True)}
    by_name = {row[0]: row for row in rows[1:-1]}
    # The matrix ends with the counts, the percentage and the review panel column.
    assert {name: [int(value) for value in row[-4:-2]] + [int(row[-2]) / 100]
            for name, row in by_name.items()} == {name: list(cells)
                                                  for name, cells in summary.items()}
