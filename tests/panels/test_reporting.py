"""A candidate's review panel in the progress matrix, its CSV and its XLSX workbook."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from portfolio.extensions import db
from portfolio.panels import services
from portfolio.panels.models import OutcomeOption
from portfolio.panels.queries import cohort_panel_summaries
from tests.factories import make_scenario, sign_in
from tests.panels.builders import make_panel, open_window


def option(label):
    return db.session.scalar(select(OutcomeOption).where(OutcomeOption.label == label))


def _decided(s, label="Extend by N months", months=6):
    panel = make_panel(s)
    open_window(panel)
    services.record_outcome(panel, s.lead, option(label).id, "Two more sessions.", months)
    db.session.commit()
    return panel


def test_the_matrix_has_no_panel_column_until_a_panel_is_scheduled(app, client):
    s = make_scenario()
    db.session.commit()
    sign_in(client, s.lead)
    page = client.get(f"/exports/cohorts/{s.cohort.id}/progress").get_data(as_text=True)
    assert "Review panel" not in page
    panel = make_panel(s)
    db.session.commit()
    page = client.get(f"/exports/cohorts/{s.cohort.id}/progress").get_data(as_text=True)
    assert "Review panel" in page
    assert f"Panel on {panel.panel_on.day} {panel.panel_on:%b %Y}" in page
    assert "None yet" in page  # the peer and the outsider have no panel


def test_a_decided_outcome_shows_in_the_matrix_csv_and_xlsx(app, client):
    s = make_scenario()
    _decided(s)
    sign_in(client, s.lead)
    page = client.get(f"/exports/cohorts/{s.cohort.id}/progress").get_data(as_text=True)
    assert "Extend by 6 months" in page
    assert "Two more sessions." not in page  # the reasons are for the candidate's panel page

    body = client.get(f"/exports/cohorts/{s.cohort.id}/progress.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][-1] == "Review panel"
    by_name = {row[0]: row for row in rows[1:-1]}
    assert by_name["Aisha Author"][-1] == "Extend by 6 months"
    assert by_name["Pat Peer"][-1] == ""

    data = client.get(f"/exports/cohorts/{s.cohort.id}/progress.xlsx").data
    workbook = load_workbook(io.BytesIO(data))
    header, *people = list(workbook["Candidates"].iter_rows(values_only=True))
    panel_column = header.index("Review panel")
    assert header[panel_column + 1] == "Panel decided on"
    author = next(row for row in people if row[0] == "Aisha Author")
    assert author[panel_column] == "Extend by 6 months"
    assert author[panel_column + 1] is not None


def test_the_latest_decided_panel_wins_over_an_earlier_one(app):
    s = make_scenario()
    _decided(s, "Not yet", None)
    later = make_panel(s)
    open_window(later)
    db.session.commit()
    assert cohort_panel_summaries(s.cohort.id)[s.author.id].label == "Not yet"
    services.record_outcome(later, s.lead, option("Extend by N months").id, "More.", 3)
    db.session.commit()
    assert cohort_panel_summaries(s.cohort.id)[s.author.id].label == "Extend by 3 months"


def test_the_candidates_own_archive_holds_showcases_and_outcomes_never_notes(app):
    import json
    import zipfile

    from portfolio.exports import jobs
    from portfolio.exports import services as export_services
    from portfolio.exports.worker import run_job
    from tests.panels.builders import make_showcase

    s = make_scenario()
    showcase = make_showcase(s.author, s.cohort, title="Relay season showcase")
    panel = make_panel(s)
    services.submit_showcase(panel, s.author, showcase)
    open_window(panel)
    services.save_note(panel, s.developer, "Private worry about the warm-up", None)
    services.record_outcome(panel, s.lead, option("Not yet").id, "Two more sessions.", None)
    job = export_services.request_personal_archive(s.author)
    db.session.commit()
    assert jobs.claim("test-worker") == job.id
    assert run_job(job.id, "test-worker") == "done"
    db.session.expire_all()
    with zipfile.ZipFile(jobs.result_file(job)) as zipped:
        [name] = [n for n in zipped.namelist() if n.endswith("/portfolio.json")]
        text = zipped.read(name).decode()
    data = json.loads(text)
    titles = [item["title"] for item in data["showcases"]]
    assert titles.count("Relay season showcase") == 2  # the showcase and its submitted copy
    assert any(item["submitted_copy"] for item in data["showcases"])
    entry_items = [item for showcase in data["showcases"] for item in showcase["items"]
                   if item["kind"] == "entry_version"]
    assert entry_items and entry_items[0]["version"] == 1
    [reviewed] = data["review_panels"]
    assert reviewed["outcome"]["outcome"] == "Not yet"
    assert reviewed["outcome"]["reasons"] == "Two more sessions."
    assert "Private worry" not in text
