"""The cohort audit log: sign-offs, returns, revocations and completions, with members'
sign-ins; leads read it on screen and download it as a spreadsheet-safe CSV."""

import csv
import io

from portfolio.audit.services import record
from portfolio.extensions import db
from portfolio.reviews import services
from tests.reviews.builders import decide, scenario_with_entry, submit


def _rows(response) -> str:
    """The events table of the audit page (the filter's choices name every kind)."""
    return response.get_data(as_text=True).split("<tbody>")[1].split("</tbody>")[0]


def _csv(response):
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_lead_sees_the_cohorts_review_events_and_members_sign_ins(app, client, login):
    s = scenario_with_entry()
    review_request = submit(s)
    signoffs = decide(s, review_request, {"VP1": ("signed_off", "Yes"),
                                          "VP2": ("not_yet", "Add a target.")},
                      "Add a target, then resubmit.", returning=True)
    services.revoke_signoff(signoffs[0], s.lead, "Wrong entry.")
    record("login.succeeded", actor=s.author, target=s.author, address="192.0.2.1")
    record("login.succeeded", actor=s.other_candidate, target=s.other_candidate)
    record("signoff.recorded", actor=s.other_developer, cohort_id=s.other_cohort.id)
    db.session.commit()
    login(s.lead)
    page = client.get(f"/reviews/cohorts/{s.cohort.id}/audit").get_data(as_text=True)
    for words in ("Asked for a review", "Signed off a competency",
                  "Recorded “not yet” for a competency", "Returned an entry for revision",
                  "Revoked a sign-off", "Signed in"):
        assert words in page
    assert "Dev Eloper" in page and "Aisha Author" in page
    assert "Cora Candidate" not in page and "Otto Developer" not in page
    assert "Add a target" not in page  # feedback text never enters the log
    filtered = client.get(f"/reviews/cohorts/{s.cohort.id}/audit?action=signoff.revoked")
    assert "Asked for a review" not in _rows(filtered)


def test_the_csv_download_neutralises_formulas(app, client, login):
    s = scenario_with_entry()
    s.developer.display_name = "=HYPERLINK(\"http://evil\")"
    review_request = submit(s)
    decide(s, review_request, {"VP1": ("signed_off", ""), "VP2": ("signed_off", "")})
    record("note", actor=s.developer, cohort_id=s.cohort.id, value="+SUM(A1)", other="@x")
    db.session.commit()
    login(s.lead)
    response = client.get(f"/reviews/cohorts/{s.cohort.id}/audit.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:4] == ["Time (UTC)", "Time (UK)", "Who", "Action"]
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert "signoff.recorded" in {row[3] for row in rows[1:]}


def test_events_read_as_plain_words_with_a_choice_list_filter(app, client, login):
    s = scenario_with_entry()
    review_request = submit(s, codes=("VP1",))
    decide(s, review_request, {"VP1": ("signed_off", "Yes")})
    db.session.commit()
    login(s.lead)
    response = client.get(f"/reviews/cohorts/{s.cohort.id}/audit")
    page = response.get_data(as_text=True)
    row = _rows(response).split("Signed off a competency")[1].split("</tr>")[0]
    assert "Candidate: Aisha Author" in row and "Competency: VP1" in row
    assert f"Review request #{review_request.id}" in row and "Version 1" in row
    for code in ("signoff.recorded", "content_hash=", "ReviewRequest ", "candidate_id="):
        assert code not in _rows(response)
    # The filter is a choice list of the event kinds, in words.
    assert '<select class="input" id="action" name="action">' in page
    assert '<option value="signoff.recorded">Recorded a coach developer' in page
    only = client.get(f"/reviews/cohorts/{s.cohort.id}/audit?action=review.requested")
    assert "Asked for a review" in _rows(only)
    assert "Signed off a competency" not in _rows(only)
    # An unknown kind in the address shows everything rather than nothing.
    unknown = client.get(f"/reviews/cohorts/{s.cohort.id}/audit?action=nonsense")
    assert "Signed off a competency" in _rows(unknown)


def test_the_cohort_page_links_leads_to_its_audit_log(app, client, login):
    s = scenario_with_entry()
    login(s.lead)
    page = client.get(f"/programme/cohorts/{s.cohort.id}").get_data(as_text=True)
    assert f"/reviews/cohorts/{s.cohort.id}/audit" in page
    login(s.developer)
    page = client.get(f"/programme/cohorts/{s.cohort.id}").get_data(as_text=True)
    assert f"/reviews/cohorts/{s.cohort.id}/audit" not in page
    assert client.get(f"/reviews/cohorts/{s.cohort.id}/audit").status_code == 403


def test_every_recorded_event_has_words():
    import pathlib
    import re

    from portfolio.audit.vocabulary import EVENTS

    source = "\n".join(path.read_text() for path in pathlib.Path("portfolio").rglob("*.py"))
    codes = set(re.findall(r'record\("([a-z_]+\.[a-z_.]+|logout)"', source))
    assert codes and codes <= set(EVENTS), sorted(codes - set(EVENTS))


def test_members_failed_sign_ins_are_matched_and_the_log_pages_through_every_event(
        app, client, login):
    from portfolio.auth.services import email_fingerprint

    s = scenario_with_entry()
    for n in range(30):
        record("note", actor=s.developer, cohort_id=s.cohort.id, value=f"note {n}")
    record("login.failed", actor=None, address="192.0.2.7",
           account=email_fingerprint(s.author.email))
    record("login.failed", actor=None, address="192.0.2.8",
           account=email_fingerprint(s.stranger.email))
    record("login.failed", actor=None, address="192.0.2.9",
           account=email_fingerprint(s.other_candidate.email))
    db.session.commit()
    login(s.lead)
    first = _rows(client.get(f"/reviews/cohorts/{s.cohort.id}/audit"))
    second = _rows(client.get(f"/reviews/cohorts/{s.cohort.id}/audit?page=2"))
    assert first.count("<tr>") == 25
    assert first.count("<tr>") + second.count("<tr>") == 31
    both = first + second
    assert "192.0.2.7" in both  # the member's failed sign-in, matched by its fingerprint
    assert "192.0.2.8" not in both and "192.0.2.9" not in both
    past_the_end = client.get(f"/reviews/cohorts/{s.cohort.id}/audit?page=9")
    assert past_the_end.status_code == 200 and "No events" in past_the_end.get_data(as_text=True)
    only_failures = _rows(client.get(
        f"/reviews/cohorts/{s.cohort.id}/audit?action=login.failed"))
    assert only_failures.count("<tr>") == 1 and "192.0.2.7" in only_failures
