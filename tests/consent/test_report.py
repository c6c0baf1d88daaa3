"""The lead's consent report: per cohort, who gave consent, its scope and what was withdrawn,
as a page and as a CSV whose cells cannot run as spreadsheet formulas."""

from __future__ import annotations

import csv
import io

from portfolio.consent import services
from portfolio.extensions import db
from tests.consent.builders import consented, shared_photo
from tests.factories import make_scenario


def _cohort_with_records():
    s = make_scenario()
    given, _ = shared_photo(s.author, s.cohort, title="Under-13 relay photo")
    consented(s.author, given, scope="assessment", given_by="=HYPERLINK(\"x\")")
    withdrawn, _ = shared_photo(s.peer, s.cohort, title="Under-15 hurdles video")
    services.withdraw_consent(s.peer, consented(s.peer, withdrawn, given_by="Joe Carer"))
    pending, _ = shared_photo(s.author, s.cohort, title="Under-11 warm-up photo")
    services.flag_evidence(s.author, pending)
    other, _ = shared_photo(s.other_candidate, s.other_cohort, title="Cohort B photo")
    consented(s.other_candidate, other)
    db.session.commit()
    return s


def test_the_report_lists_the_cohorts_records_and_nothing_of_another(app, client, login):
    s = _cohort_with_records()
    login(s.lead)
    index = client.get("/consent/report").get_data(as_text=True)
    assert "Talent A" in index and "(3 items)" in index and "(1 item)" in index
    page = client.get(f"/consent/report/cohorts/{s.cohort.id}").get_data(as_text=True)
    for text in ("Under-13 relay photo", "Programme assessment only", "Under-15 hurdles video",
                 "Joe Carer (Parent)", "Withdrawn: waiting to be deleted", "Under-11 warm-up photo",
                 "Consent needed"):
        assert text in page, text
    assert "Cohort B photo" not in page
    # The report shows consent, never the evidence itself.
    assert "/evidence/" not in page


def test_the_csv_neutralises_formulas(app, client, login):
    s = _cohort_with_records()
    login(s.lead)
    answer = client.get(f"/consent/report/cohorts/{s.cohort.id}/consent.csv")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
    assert rows[0][:3] == ["Candidate", "Item", "Status"]
    names = {row[3] for row in rows[1:]}
    assert "'=HYPERLINK(\"x\")" in names and "Joe Carer" in names
    assert len(rows) == 4
