"""The pages as people use them: the candidate shows a QR code, the coach developer opens it
signed in to their own account, sees what they sign, decides; the candidate sees the outcome."""

from __future__ import annotations

import difflib
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select

from portfolio.database import utcnow
from portfolio.extensions import db
from portfolio.quicksign import services
from portfolio.quicksign.models import QuickSignCode
from portfolio.reviews.models import Signoff
from tests.factories import add_version, competency, make_scenario
from tests.policy_world import add_cross_cohort_actors
from tests.quicksign.builders import claimed_entry, shown_code, signed_off_form


def show_code(client, login, s):
    """The candidate asks for VP1 and RP1 on the page; returns the code's path and its page."""
    entry = claimed_entry(s)
    db.session.commit()
    login(s.author)
    ask = client.get(f"/entries/{entry.id}/quick-sign")
    assert ask.status_code == 200 and "VP1" in ask.get_data(as_text=True)
    shown = client.post(f"/entries/{entry.id}/quick-sign", data={"quick-competencies": [
        str(competency(s.framework, "VP1").id), str(competency(s.framework, "RP1").id)]})
    assert shown.status_code == 302
    page = client.get(shown.headers["Location"]).get_data(as_text=True)
    address = re.search(r"data-quick-sign-address>([^<]+)<", page).group(1)
    assert address.startswith("http://portfolio.test/q/")  # BASE_URL, not the Host header
    return entry, urlsplit(address).path, page, shown.headers["Location"]


def test_the_candidate_sees_a_qr_code_drawn_on_the_server_and_the_address(app, client, login):
    s = make_scenario()
    _, path, page, _ = show_code(client, login, s)
    assert "<svg" in page and "quick-sign-qr" in page and "<script" not in page.split("<svg")[1]
    assert path in page and "Check for the decision" in page


def test_the_entry_page_offers_ask_for_sign_off_now(app, client, login):
    s = make_scenario()
    entry = claimed_entry(s)
    db.session.commit()
    login(s.author)
    page = client.get(f"/portfolio/entries/{entry.id}").get_data(as_text=True)
    assert f"/entries/{entry.id}/quick-sign" in page and "Ask for sign-off now" in page


def test_signing_in_comes_back_to_the_code(app, client, login):
    s = make_scenario()
    _, path, _, _ = show_code(client, login, s)
    fresh = app.test_client()
    answer = fresh.get(path)
    assert answer.status_code == 302
    target = urlsplit(answer.headers["Location"])
    assert target.path == "/account/login"
    assert parse_qs(target.query)["next"] == [path]


def test_the_developer_sees_what_they_sign_and_signs_once(app, client, login):
    s = make_scenario()
    entry, path, _, shown_path = show_code(client, login, s)
    version = entry.versions[-1]
    developer = app.test_client()
    login(s.developer, on=developer)
    page = developer.get(path).get_data(as_text=True).replace("<wbr>", "")
    for text in (entry.title, f"version {version.number}", version.content_hash,
                 "We worked on block starts.", "VP1", "RP1"):
        assert text in page, text
    done = developer.post(path, data=signed_off_form(s))
    assert done.status_code == 302 and "/reviews/requests/" in done.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Signoff)) == 2
    again = developer.post(path, data=signed_off_form(s))
    assert again.status_code == 404
    assert developer.get(path).status_code == 404
    outcome = client.get(shown_path).get_data(as_text=True)
    assert 'data-quick-sign-state="used"' in outcome and "Dev Eloper" in outcome
    assert "Signed off" in outcome and "Clear VP1 at the track." in outcome


def test_a_not_yet_without_a_comment_is_refused_beside_the_field(app, client, login):
    s = make_scenario()
    _, path, _, _ = show_code(client, login, s)
    login(s.developer)
    form = signed_off_form(s)
    rp1 = competency(s.framework, "RP1").id
    form[f"decision_{rp1}"], form[f"feedback_{rp1}"] = "not_yet", ""
    answer = client.post(path, data=form)
    assert answer.status_code == 400 and "Say what is missing for RP1" in answer.get_data(
        as_text=True)
    assert client.get(path).status_code == 200  # the code is still unused


def _not_found_page(client, path, method="get"):
    answer = getattr(client, method)(path)
    body = re.sub(r'<code class="request-id">[^<]*</code>', "", answer.get_data(as_text=True))
    # Signed tokens carry the second they were made: the one part that may differ.
    body = re.sub(r'name="csrf_token" value="[^"]*"', "", body)
    return answer.status_code, re.sub(r'name="csrf-token" content="[^"]*"', "", body)


def test_unknown_expired_used_and_malformed_codes_answer_the_same_404(app, client, login):
    s = make_scenario()
    _, _, used_raw = shown_code(s)
    _, _, expired_raw = shown_code(s, entry=claimed_entry(s, "Another session"))
    db.session.execute(QuickSignCode.__table__.update()
                       .where(QuickSignCode.token_hash == services.hash_code(expired_raw))
                       .values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    login(s.developer)
    used = client.post(f"/q/{used_raw}", data=signed_off_form(s))
    client.get(used.headers["Location"])  # the flash of the decision is shown there
    answers = {name: _not_found_page(client, f"/q/{raw}") for name, raw in {
        "used": used_raw, "expired": expired_raw, "unknown": "abcdefghijklmnop",
        "malformed": "%3Cscript%3E", "long": "a" * 300}.items()}
    assert {status for status, _ in answers.values()} == {404}
    bodies = {body for _, body in answers.values()}
    assert len(bodies) == 1, "\n".join(difflib.unified_diff(
        *(body.splitlines() for body in list(bodies)[:2]), lineterm=""))


def test_a_newer_version_refuses_the_code(app, client, login):
    s = make_scenario()
    entry, path, _, _ = show_code(client, login, s)
    entry.sections = {**entry.sections, "what": "Rewritten after the code was shown."}
    add_version(entry)
    db.session.commit()
    login(s.developer)
    for answer in (client.get(path), client.post(path, data=signed_off_form(s))):
        assert answer.status_code == 409
        assert "saved again since this code was made" in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Signoff)) == 0


def test_the_candidate_a_stranger_and_other_cohorts_developers_get_the_404(app, client, login):
    s = make_scenario()
    add_cross_cohort_actors(s)
    db.session.commit()
    entry, path, _, _ = show_code(client, login, s)
    for who in ("author", "stranger", "peer", "other_developer", "earlier_developer",
                "later_developer", "lead"):
        login(getattr(s, who))
        assert client.get(path).status_code == 404, who
        assert client.post(path, data=signed_off_form(s)).status_code == 404, who
        assert entry.title not in client.get(path).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Signoff)) == 0


def test_an_expired_code_tells_the_candidate_to_show_a_new_one(app, client, login, monkeypatch):
    s = make_scenario()
    _, _, _, shown_path = show_code(client, login, s)
    later = utcnow() + timedelta(minutes=11)
    monkeypatch.setattr("portfolio.quicksign.views.utcnow", lambda: later)
    page = client.get(shown_path).get_data(as_text=True)
    assert 'data-quick-sign-state="expired"' in page and "Show a new code" in page
    assert "<svg" not in page
