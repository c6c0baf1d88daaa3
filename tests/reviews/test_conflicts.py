"""Two reviewers on one request: one wins, the other gets a 409 page with their text kept.
The same form sent twice records once."""

import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from portfolio.extensions import db
from portfolio.reviews.models import ReviewRequest, Signoff
from tests.conftest import USE_POSTGRES
from tests.factories import add_member, sign_in
from tests.reviews.builders import decision_form, scenario_with_entry, submit


def _world_with_two_reviewers():
    s = scenario_with_entry()
    s.second_developer = add_member(s.cohort, role="coach_developer").user
    db.session.commit()
    review_request = submit(s)
    from portfolio.reviews import services

    services.start_review(review_request, s.developer)
    db.session.commit()
    return s, review_request


def _counts():
    db.session.expire_all()
    return db.session.scalar(select(func.count(Signoff.id)))


def test_the_second_reviewer_gets_a_conflict_page_with_their_feedback(make_app):
    app = make_app()
    with app.app_context():
        s, review_request = _world_with_two_reviewers()
        first_form = decision_form(s, review_request, {"VP1": ("signed_off", "Crisp cues."),
                                                      "VP2": ("signed_off", "Good plan.")})
        second_form = decision_form(s, review_request,
                                    {"VP1": ("not_yet", "Cue words need trimming."),
                                     "VP2": ("signed_off", "")}, "My long overall view.")
        first, second = app.test_client(), app.test_client()
        sign_in(first, s.developer)
        sign_in(second, s.second_developer)
        url = f"/reviews/requests/{review_request.id}/decision"
        assert first.post(url, data=first_form).status_code == 302
        response = second.post(url, data=second_form)
        page = response.get_data(as_text=True)
        assert response.status_code == 409
        assert "Someone else finished this review first" in page
        assert "Dev Eloper finished this review first" in page
        assert "Cue words need trimming." in page and "My long overall view." in page
        assert "Crisp cues." in page  # what actually happened
        assert _counts() == 2
        assert {s.reviewer_id for s in db.session.scalars(select(Signoff))} == {s.developer.id}


def test_a_stale_form_after_the_candidate_withdrew_is_a_conflict(app, login):
    from portfolio.reviews import services

    s = scenario_with_entry()
    review_request = submit(s)
    form = decision_form(s, review_request, {"VP1": ("signed_off", "Yes"),
                                             "VP2": ("signed_off", "Yes")})
    services.withdraw_request(review_request, s.author)
    db.session.commit()
    client = login(s.developer, on=app.test_client())
    response = client.post(f"/reviews/requests/{review_request.id}/decision", data=form)
    assert response.status_code == 409
    assert "Aisha Author withdrew this request first" in response.get_data(as_text=True)
    assert _counts() == 0


def test_the_same_form_sent_twice_records_once(app, login):
    s, review_request = _world_with_two_reviewers()
    form = decision_form(s, review_request, {"VP1": ("signed_off", "Yes"),
                                             "VP2": ("not_yet", "Add a target.")})
    client = login(s.developer, on=app.test_client())
    url = f"/reviews/requests/{review_request.id}/decision"
    assert client.post(url, data=form).status_code == 302
    again = client.post(url, data=form, follow_redirects=True)
    assert again.status_code == 200
    assert "already recorded" in again.get_data(as_text=True)
    assert _counts() == 2

    # Submitting for review twice makes one request; a repeated peer sign-off is refused.
    entry_requests = select(func.count(ReviewRequest.id)).where(
        ReviewRequest.entry_id == s.entry.id, ReviewRequest.status == "open")
    author = login(s.author, on=app.test_client())
    from tests.factories import add_version

    add_version(s.entry)
    db.session.commit()
    data = {"review-competencies": [str(s.competencies["VP2"].id)]}
    assert author.post(f"/reviews/entries/{s.entry.id}/review-requests", data=data).status_code \
        == 302
    assert author.post(f"/reviews/entries/{s.entry.id}/review-requests", data=data).status_code \
        == 302
    assert db.session.scalar(entry_requests) == 1
    peer = login(s.peer, on=app.test_client())
    data = {"peer-competency": str(s.competencies["VP1"].id), "peer-note": "Seen it work."}
    assert peer.post(f"/reviews/entries/{s.entry.id}/peer-signoffs", data=data).status_code \
        == 302
    response = peer.post(f"/reviews/entries/{s.entry.id}/peer-signoffs", data=data,
                         follow_redirects=True)
    assert response.request.path == f"/portfolio/entries/{s.entry.id}"
    assert "already signed off VP1" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Signoff.id)).where(Signoff.role == "peer")) == 1


@pytest.mark.postgres_only
@pytest.mark.skipif(not USE_POSTGRES, reason="needs two PostgreSQL connections with row locks")
def test_two_simultaneous_sign_offs_on_two_connections(make_app, monkeypatch):
    """Both reviewers pass every check before either writes; the database lets one win."""
    from portfolio.reviews.services import requests as request_services

    first_app, second_app = make_app(), make_app()
    with first_app.app_context():
        s, review_request = _world_with_two_reviewers()
        forms = [decision_form(s, review_request, {"VP1": ("signed_off", f"Reviewer {n}"),
                                                   "VP2": ("signed_off", f"Reviewer {n}")},
                               f"Overall from reviewer {n}") for n in (1, 2)]
        reviewers = [SimpleNamespace(id=user.id, session_token=user.session_token)
                     for user in (s.developer, s.second_developer)]
        url = f"/reviews/requests/{review_request.id}/decision"

    both_checked = threading.Barrier(2, timeout=20)
    original_move = request_services._move

    def move_together(*args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            both_checked.wait()
        return original_move(*args, **kwargs)

    monkeypatch.setattr(request_services, "_move", move_together)
    results = {}

    def review(number, app):
        client = app.test_client()
        sign_in(client, reviewers[number])
        response = client.post(url, data=forms[number])
        results[number] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=review, args=(n, app))
               for n, app in enumerate((first_app, second_app))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    statuses = sorted(code for code, _ in results.values())
    assert statuses == [302, 409], results
    loser = next(body for code, body in results.values() if code == 409)
    winner = next(n for n, (code, _) in results.items() if code == 302)
    assert f"Overall from reviewer {2 - winner}" in loser  # the loser's own words
    with first_app.app_context():
        rows = db.session.scalars(select(Signoff)).all()
        assert len(rows) == 2
        assert {row.reviewer_id for row in rows} == {reviewers[winner].id}
        assert db.session.get(ReviewRequest, review_request.id).status == "completed"
