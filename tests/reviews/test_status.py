"""One review-status vocabulary: an entry's badge never contradicts its request."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portfolio.extensions import db
from portfolio.reviews import services
from portfolio.reviews.models import Signoff
from portfolio.reviews.queries import entry_review_states
from portfolio.reviews.status import (
    DecisionFacts,
    RequestFacts,
    Tally,
    derive_entry_state,
    request_label,
)
from tests.factories import add_version
from tests.reviews.builders import decide, scenario_with_entry, submit

T0 = datetime(2026, 10, 1, 9, tzinfo=UTC)


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


def request(status, hours=0, ident=1):
    return RequestFacts(ident, status, at(hours))


def decision(competency, choice, hours=0, revoked=False):
    return DecisionFacts(competency, choice, revoked, at(hours))


@pytest.mark.parametrize("requests, decisions, words", [
    ([], [], None),
    ([request("withdrawn")], [], None),
    ([request("open")], [], "Waiting for review"),
    ([request("in_review")], [], "In review"),
    ([request("completed")], [decision(1, "signed_off"), decision(2, "signed_off")],
     "Signed off"),
    ([request("completed")], [decision(1, "signed_off"), decision(2, "signed_off"),
                              decision(3, "not_yet")],
     "Partly signed off — 1 competency to revisit"),
    ([request("completed")], [decision(1, "not_yet"), decision(2, "not_yet")],
     "Not yet signed off — 2 competencies to revisit"),
    # Only a reviewer's "Return for revision" says returned, whatever was decided with it.
    ([request("returned")], [decision(1, "signed_off")], "Returned for revision"),
    # A later version's sign-off settles an earlier "not yet".
    ([request("completed", 0, 1), request("completed", 5, 2)],
     [decision(1, "signed_off", 1), decision(2, "not_yet", 1), decision(2, "signed_off", 6)],
     "Signed off"),
    # A revoked sign-off is to revisit again.
    ([request("completed")], [decision(1, "signed_off", revoked=True), decision(2, "signed_off")],
     "Partly signed off — 1 competency to revisit"),
    # A newer request that was withdrawn does not hide the last review.
    ([request("completed", 0, 1), request("withdrawn", 5, 2)],
     [decision(1, "not_yet", 1)], "Not yet signed off — 1 competency to revisit"),
])
def test_entry_state_in_words(requests, decisions, words):
    label = derive_entry_state(requests, decisions).label
    assert (label.text if label else None) == words


@pytest.mark.parametrize("status, decisions, words, colour", [
    ("open", None, "Waiting for review", "blue"),
    ("in_review", None, "In review", "purple"),
    ("withdrawn", None, "Withdrawn", "grey"),
    ("returned", Tally(1, 1), "Returned for revision", "red"),
    ("completed", Tally(2, 0), "Reviewed: 2 signed off", "green"),
    ("completed", Tally(2, 1), "Reviewed: 2 signed off and 1 not yet", "yellow"),
])
def test_request_status_in_words(status, decisions, words, colour):
    label = request_label(status, decisions)
    assert (label.text, label.colour) == (words, colour)


def test_recorded_decisions_with_a_not_yet_read_alike_on_the_request_and_the_entry(
        app, client, login):
    s = scenario_with_entry(codes=("VP1", "VP2", "RP1"))
    review_request = submit(s, codes=("VP1", "VP2", "RP1"))
    services.start_review(review_request, s.developer)
    decide(s, review_request, {"VP1": ("signed_off", "Yes."), "VP2": ("signed_off", "Yes."),
                               "RP1": ("not_yet", "Say how you checked it.")})
    db.session.refresh(s.entry)
    assert s.entry.review_status == "reviewed"  # the portfolio filter's value
    login(s.author)
    request_page = client.get(f"/reviews/requests/{review_request.id}").get_data(as_text=True)
    assert "Reviewed: 2 signed off and 1 not yet" in request_page
    listed = f'entry-list__title"><a href="/portfolio/entries/{s.entry.id}"'
    assert listed in client.get("/portfolio/?status=reviewed").get_data(as_text=True)
    for page in (f"/portfolio/entries/{s.entry.id}", "/portfolio/",
                 "/portfolio/?status=reviewed"):
        html = client.get(page).get_data(as_text=True)
        assert 'tag--yellow">Partly signed off — 1 competency to revisit</strong>' in html, page
        assert "Returned for revision</strong>" not in html, page
    returned = client.get("/portfolio/?status=returned").get_data(as_text=True)
    assert f'entry-list__title"><a href="/portfolio/entries/{s.entry.id}"' not in returned


def test_revoking_a_sign_off_makes_the_entry_partly_signed_off(app):
    s = scenario_with_entry()
    review_request = submit(s)
    decide(s, review_request, {"VP1": ("signed_off", "Yes."), "VP2": ("signed_off", "Yes.")})
    assert entry_review_states([s.entry.id])[s.entry.id].key == "signed_off"
    signoff = db.session.scalar(select(Signoff).where(Signoff.competency_code == "VP1"))
    services.revoke_signoff(signoff, s.lead, "Signed off on the wrong entry.")
    db.session.commit()
    db.session.refresh(s.entry)
    assert s.entry.review_status == "reviewed"
    assert entry_review_states([s.entry.id])[s.entry.id].label.text == \
        "Partly signed off — 1 competency to revisit"


def test_resubmitting_the_not_yet_competency_and_signing_it_off_signs_off_the_entry(app):
    s = scenario_with_entry()
    first = submit(s)
    decide(s, first, {"VP1": ("signed_off", "Yes."), "VP2": ("not_yet", "Add a target.")})
    add_version(s.entry)
    db.session.commit()
    second = submit(s, codes=("VP2",))
    assert entry_review_states([s.entry.id])[s.entry.id].label.text == "Waiting for review"
    decide(s, second, {"VP2": ("signed_off", "Now measurable.")})
    db.session.refresh(s.entry)
    assert s.entry.review_status == "signed_off"
