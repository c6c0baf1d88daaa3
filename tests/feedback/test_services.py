"""Asking for external feedback, the one-time link, withdrawal, sharing and the daily limit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portfolio.database import utcnow
from portfolio.errors import DomainError
from portfolio.extensions import db
from portfolio.feedback import services
from portfolio.feedback.models import ExternalFeedback, FeedbackRequest
from portfolio.feedback.permissions import can_read_feedback
from portfolio.mail.models import OutboxMessage
from tests.factories import make_scenario
from tests.feedback.builders import ANSWERS, answered, ask, session_entry


def test_asking_mails_a_link_whose_token_is_stored_only_as_a_hash(app):
    s = make_scenario()
    request, token = ask(s)
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.to_address == "coach@club.example"))
    assert f"/f/{token}" in message.body_text
    assert "Aisha Author" in message.subject
    assert request.token_hash == services.token_hash(token) and token not in request.token_hash
    assert request.expires_at - request.created_at == timedelta(days=14)
    assert request.cohort_id == s.cohort.id


def test_an_entry_gives_the_session_its_title_and_date(app):
    s = make_scenario()
    entry = session_entry(s)
    request, _ = ask(s, entry=entry)
    assert (request.session_title, request.session_date) == (entry.title, entry.practice_date)


def test_someone_elses_entry_or_a_missing_session_is_refused(app):
    s = make_scenario()
    peer_entry = session_entry(s)
    peer_entry.owner_id = s.peer.id
    with pytest.raises(DomainError) as error:
        ask(s, entry=peer_entry)
    assert error.value.field == "entry_id"
    with pytest.raises(DomainError) as error:
        ask(s, session_title="")
    assert error.value.field == "session_title"
    with pytest.raises(DomainError) as error:
        ask(s, recipient_email="not an address")
    assert error.value.field == "recipient_email"
    with pytest.raises(DomainError) as error:
        ask(s, session_date=date.today() + timedelta(days=2))
    assert error.value.field == "session_date"


def test_only_candidates_in_a_cohort_can_ask(app):
    s = make_scenario()
    with pytest.raises(DomainError):
        services.ask_for_feedback(s.developer, recipient_name="X", recipient_email="x@y.example",
                                  relationship="mentor", session_title="T",
                                  session_date=date(2026, 10, 1))


def test_the_link_is_used_once_and_a_second_use_is_refused(app):
    s = make_scenario()
    request, token = ask(s)
    state, opened = services.open_link(token)
    assert (state, opened.id) == ("live", request.id)
    feedback = services.give_feedback(opened, **ANSWERS)
    assert (feedback.attributed_email, feedback.attributed_name) == (
        "coach@club.example", "Hana Headcoach")
    with pytest.raises(services.LinkUsedError):
        services.give_feedback(opened, **(ANSWERS | {"comments": "Second go"}))
    assert services.open_link(token)[0] == "used"
    assert db.session.scalar(select(func.count()).select_from(ExternalFeedback)) == 1


def test_expired_withdrawn_unknown_and_malformed_links_open_nothing(app):
    s = make_scenario()
    expired, expired_token = ask(s)
    expired.expires_at = utcnow() - timedelta(seconds=1)
    withdrawn, withdrawn_token = ask(s, email="mentor@club.example")
    services.withdraw_request(withdrawn, s.author)
    db.session.flush()
    for token in (expired_token, withdrawn_token, "A" * 43, "short", "A" * 42 + "!", None):
        assert services.open_link(token) is None, token
    with pytest.raises(services.LinkUsedError):
        services.give_feedback(expired, **ANSWERS)


def test_withdrawing_is_for_the_candidate_and_only_while_unused(app):
    s = make_scenario()
    request, _ = answered(s)
    with pytest.raises(DomainError):
        services.withdraw_request(request, s.peer)
    with pytest.raises(DomainError, match="already arrived"):
        services.withdraw_request(request, s.author)
    waiting, _ = ask(s, email="athlete@club.example")
    services.withdraw_request(waiting, s.author)
    assert waiting.withdrawn_at is not None
    with pytest.raises(DomainError, match="already withdrawn"):
        services.withdraw_request(waiting, s.author)


def test_an_empty_answer_is_refused_and_leaves_the_link_unused(app):
    s = make_scenario()
    request, token = ask(s)
    with pytest.raises(DomainError) as error:
        services.give_feedback(request, went_well=" ", could_be_better="", giver_role="",
                               comments="")
    assert error.value.field == "went_well"
    assert services.open_link(token)[0] == "live"


def test_sending_is_limited_per_candidate_and_day(app):
    s = make_scenario()
    app.config["FEEDBACK_REQUESTS_PER_DAY"] = 3
    for number in range(3):
        ask(s, email=f"p{number}@club.example")
    with pytest.raises(DomainError, match="3 feedback requests a day"):
        ask(s, email="late@club.example")
    # A withdrawn request was still sent: it keeps its place in the day's count.
    first = db.session.scalars(select(FeedbackRequest)).first()
    services.withdraw_request(first, s.author)
    with pytest.raises(DomainError):
        ask(s, email="late@club.example")
    # Someone else's limit is their own.
    services.ask_for_feedback(s.peer, recipient_name="M", recipient_email="m@club.example",
                              relationship="mentor", session_title="Hurdles",
                              session_date=date(2026, 10, 2))


def test_the_database_refuses_a_second_request_in_the_same_slot(app):
    s = make_scenario()
    request, _ = ask(s)
    db.session.add(FeedbackRequest(
        candidate_id=s.author.id, cohort_id=s.cohort.id, session_title="x",
        session_date=date(2026, 10, 1), recipient_name="y", recipient_email="y@z.example",
        relation="mentor", token_hash="f" * 64, expires_at=utcnow(),
        quota_day=request.quota_day, quota_slot=request.quota_slot))
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.flush()
    db.session.rollback()


def test_readers_are_the_candidate_developers_and_the_peer_group_only_when_shared(app):
    s = make_scenario()
    request, _ = answered(s)
    readers = {name for name in ("author", "peer", "outsider", "developer", "other_developer",
                                 "other_candidate", "lead", "admin", "stranger")
               if can_read_feedback(getattr(s, name), request)}
    assert readers == {"author", "developer", "lead", "admin"}
    with pytest.raises(DomainError):
        services.set_sharing(request, s.peer, with_peers=True)
    services.set_sharing(request, s.author, with_peers=True)
    assert can_read_feedback(s.peer, request) and not can_read_feedback(s.outsider, request)
