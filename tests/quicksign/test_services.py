"""Asking for sign-off now and signing with the code: bound to the version, once, ten minutes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portfolio.database import utcnow
from portfolio.errors import DomainError
from portfolio.extensions import db
from portfolio.quicksign import services
from portfolio.quicksign.models import QuickSignCode
from portfolio.quicksign.permissions import can_sign_with_code
from portfolio.reviews import services as reviews
from portfolio.reviews.models import RequestStatus, Signoff, SignoffRole
from tests.factories import add_version, competency, make_scenario
from tests.policy_world import add_cross_cohort_actors
from tests.quicksign.builders import claimed_entry, shown_code


def decisions(s, codes=("VP1", "RP1"), decision="signed_off", feedback="Seen at the track."):
    return [reviews.Decision(competency(s.framework, code).id, decision, feedback)
            for code in codes]


def signoff_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Signoff))


def test_asking_binds_a_hashed_code_to_the_version_and_a_review_request(app):
    s = make_scenario()
    entry, code, raw = shown_code(s)
    version = entry.versions[-1]
    assert code.token_hash == services.hash_code(raw) and raw not in code.token_hash
    assert (code.entry_version_id, code.content_hash) == (version.id, version.content_hash)
    assert code.review_request.status == RequestStatus.OPEN
    assert code.review_request.entry_version_id == version.id
    assert code.expires_at - code.created_at == timedelta(minutes=10)
    assert services.find_code(raw).id == code.id


def test_the_coach_developer_signs_the_same_record_as_from_the_dashboard(app):
    s = make_scenario()
    entry, code, raw = shown_code(s)
    signed = services.sign_with_code(services.find_code(raw), s.developer, decisions(s))
    db.session.commit()
    assert {(x.competency_code, x.role, x.decision) for x in signed} == {
        ("VP1", SignoffRole.COACH_DEVELOPER, "signed_off"),
        ("RP1", SignoffRole.COACH_DEVELOPER, "signed_off")}
    assert {x.content_hash for x in signed} == {code.content_hash}
    assert {x.review_request_id for x in signed} == {code.review_request_id}
    db.session.refresh(code)
    assert code.used_by_id == s.developer.id and code.used_at is not None
    assert code.review_request.status == RequestStatus.COMPLETED


def test_the_code_works_once(app):
    s = make_scenario()
    _, code, raw = shown_code(s)
    services.sign_with_code(services.find_code(raw), s.developer, decisions(s))
    db.session.commit()
    assert services.find_code(raw) is None
    with pytest.raises(services.CodeRefused):
        services.sign_with_code(db.session.get(QuickSignCode, code.id), s.developer,
                                decisions(s))
    db.session.rollback()
    assert signoff_count() == 2


def test_the_code_expires_after_ten_minutes(app, monkeypatch):
    s = make_scenario()
    _, code, raw = shown_code(s)
    later = utcnow() + timedelta(minutes=10, seconds=1)
    monkeypatch.setattr(services, "utcnow", lambda: later)
    assert services.find_code(raw) is None
    with pytest.raises(services.CodeRefused):
        services.sign_with_code(code, s.developer, decisions(s))
    db.session.rollback()
    assert signoff_count() == 0


def test_a_code_just_inside_ten_minutes_still_works(app, monkeypatch):
    s = make_scenario()
    _, code, raw = shown_code(s)
    nearly = code.expires_at - timedelta(seconds=1)
    monkeypatch.setattr(services, "utcnow", lambda: nearly)
    assert services.find_code(raw) is not None
    assert len(services.sign_with_code(code, s.developer, decisions(s))) == 2


def test_a_newer_version_refuses_the_code_and_leaves_it_unspent(app):
    s = make_scenario()
    entry, code, raw = shown_code(s)
    entry.sections = {**entry.sections, "what": "Changed after the code was shown."}
    add_version(entry)
    db.session.commit()
    with pytest.raises(services.NewerVersion):
        services.sign_with_code(services.find_code(raw), s.developer, decisions(s))
    db.session.rollback()
    assert services.find_code(raw) is not None and signoff_count() == 0


def test_a_refused_decision_leaves_the_code_unspent(app):
    s = make_scenario()
    _, code, raw = shown_code(s)
    with pytest.raises(DomainError, match="Say what is missing"):
        services.sign_with_code(services.find_code(raw), s.developer,
                                decisions(s, decision="not_yet", feedback=""))
    db.session.rollback()
    assert services.find_code(raw) is not None


@pytest.mark.parametrize("who", ["stranger", "author", "peer", "other_developer", "lead",
                                 "earlier_developer", "later_developer"])
def test_nobody_but_a_coach_developer_of_the_cohort_signs(app, who):
    s = make_scenario()
    add_cross_cohort_actors(s)
    _, code, raw = shown_code(s)
    actor = getattr(s, who)
    assert not can_sign_with_code(actor, code)
    with pytest.raises(services.CodeRefused):
        services.sign_with_code(services.find_code(raw), actor, decisions(s))
    db.session.rollback()
    assert services.find_code(raw) is not None and signoff_count() == 0


def test_only_unsigned_claimed_competencies_can_be_chosen(app):
    s = make_scenario()
    entry, _, raw = shown_code(s, codes=("VP1",))
    services.sign_with_code(services.find_code(raw), s.developer, decisions(s, ("VP1",)))
    db.session.commit()
    version = entry.versions[-1]
    assert [c.code for c in services.signable_competencies(entry, version)] == ["RP1"]
    with pytest.raises(DomainError, match="not signed off"):
        services.ask_for_quick_sign(entry, s.author, [competency(s.framework, "VP1").id])


def test_only_the_author_asks_and_an_open_request_is_reused(app):
    s = make_scenario()
    entry = claimed_entry(s)
    ids = [competency(s.framework, "VP1").id]
    with pytest.raises(DomainError):
        services.ask_for_quick_sign(entry, s.peer, ids)
    first, _ = services.ask_for_quick_sign(entry, s.author, ids)
    second, _ = services.ask_for_quick_sign(entry, s.author, ids)
    assert first.review_request_id == second.review_request_id
    with pytest.raises(DomainError, match="already waiting for review"):
        services.ask_for_quick_sign(entry, s.author, [competency(s.framework, "RP1").id])


@pytest.mark.parametrize("raw", ["", "short", "x" * 16 + "!", "a" * 200, "abcdefghijklmnop"])
def test_malformed_and_unknown_codes_find_nothing(app, raw):
    make_scenario()
    assert services.find_code(raw) is None
