"""The programme's rules refuse with a clear message: self sign-off, another cohort's reviewer,
peer sign-off outside the group, archived years and withdrawn candidates."""

import pytest
from sqlalchemy import func, select

from portfolio.errors import DomainError, ReadOnlyError
from portfolio.extensions import db
from portfolio.reviews import services
from portfolio.reviews.models import Comment, Signoff
from tests.factories import add_member, make_entry
from tests.reviews.builders import decision_form, scenario_with_entry, submit


def _signoffs() -> int:
    return db.session.scalar(select(func.count(Signoff.id)))


def test_nobody_signs_off_their_own_work(app, client, login):
    s = scenario_with_entry()
    review_request = submit(s)
    with pytest.raises(DomainError, match="You cannot sign off your own work"):
        services.peer_signoff(s.entry, s.author, s.competencies["VP1"].id, "Mine is great.")
    with pytest.raises(DomainError, match="You cannot sign off your own work"):
        services.complete_review(review_request, s.author,
                                 [services.Decision(s.competencies["VP1"].id, "signed_off")],
                                 "", None)
    db.session.rollback()
    login(s.author)
    response = client.post(f"/reviews/entries/{s.entry.id}/peer-signoffs",
                           data={"peer-competency": s.competencies["VP1"].id,
                                 "peer-note": "Self."})
    assert response.status_code == 404
    response = client.post(f"/reviews/requests/{review_request.id}/decision",
                           data=decision_form(s, review_request, {"VP1": ("signed_off", "")}))
    assert response.status_code == 404
    assert _signoffs() == 0


def test_a_coach_developer_of_another_cohort_cannot_review(app, client, login):
    s = scenario_with_entry()
    review_request = submit(s)
    with pytest.raises(DomainError, match="Only coach developers of Talent A can review"):
        services.start_review(review_request, s.other_developer)
    with pytest.raises(DomainError, match="Only coach developers of Talent A can review"):
        services.complete_review(review_request, s.other_developer, [], "", None)
    db.session.rollback()
    login(s.other_developer)
    assert client.get(f"/reviews/requests/{review_request.id}").status_code == 404
    assert client.post(f"/reviews/requests/{review_request.id}/start").status_code == 404
    assert _signoffs() == 0


def test_a_programme_lead_can_read_a_request_but_not_review_it(app, client, login):
    s = scenario_with_entry()
    review_request = submit(s)
    login(s.lead)
    page = client.get(f"/reviews/requests/{review_request.id}").get_data(as_text=True)
    assert "Start review" not in page
    assert client.post(f"/reviews/requests/{review_request.id}/start").status_code == 404


def test_peer_sign_off_only_within_the_peer_group(app, client, login):
    s = scenario_with_entry(privacy="cohort")  # the outsider can read it, but is not a peer
    with pytest.raises(DomainError, match="Only candidates in Aisha Author’s peer group"):
        services.peer_signoff(s.entry, s.outsider, s.competencies["VP1"].id, "Looks right.")
    with pytest.raises(DomainError, match="peer group"):
        services.peer_signoff(s.entry, s.developer, s.competencies["VP1"].id, "Looks right.")
    db.session.rollback()
    login(s.outsider)
    response = client.post(f"/reviews/entries/{s.entry.id}/peer-signoffs",
                           data={"peer-competency": s.competencies["VP1"].id,
                                 "peer-note": "Looks right."})
    assert response.status_code == 404
    assert _signoffs() == 0
    # The peer in the group can.
    signoff = services.peer_signoff(s.entry, s.peer, s.competencies["VP1"].id, "Looks right.")
    assert signoff.role == "peer" and signoff.version_number == 1


def test_writes_in_an_archived_year_are_refused_with_a_clear_message(app, client, login):
    s = scenario_with_entry()
    review_request = submit(s)
    services.start_review(review_request, s.developer)
    services.add_comment(s.entry, s.peer, "Before the archive.")
    db.session.commit()
    s.year.status = "archived"
    db.session.commit()
    message = f"The {s.year.label} programme year is archived"
    for attempt in (
        lambda: services.add_comment(s.entry, s.peer, "Too late."),
        lambda: services.peer_signoff(s.entry, s.peer, s.competencies["VP1"].id, "Late."),
        lambda: services.submit_for_review(s.entry, s.author, [s.competencies["VP1"].id]),
        lambda: services.complete_review(review_request, s.developer, [], "Late", None, True),
    ):
        with pytest.raises(ReadOnlyError, match=message):
            attempt()
        db.session.rollback()

    login(s.developer)
    response = client.post(f"/reviews/requests/{review_request.id}/decision",
                           data=decision_form(s, review_request,
                                              {"VP1": ("signed_off", ""),
                                               "VP2": ("signed_off", "")}))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    login(s.peer)
    response = client.post(f"/reviews/entries/{s.entry.id}/comments",
                           data={"comment-body": "Still here?"})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "Still here?" in response.get_data(as_text=True)  # the text is kept
    assert db.session.scalar(select(func.count(Comment.id))) == 1
    assert _signoffs() == 0


def test_a_withdrawn_candidates_portfolio_is_read_only(app):
    s = scenario_with_entry()
    s.author_membership.status = "withdrawn"
    db.session.commit()
    with pytest.raises(DomainError, match="withdrawn"):
        services.submit_for_review(s.entry, s.author, [s.competencies["VP1"].id])
    db.session.rollback()
    # Their peer no longer shares a current group with them, so cannot sign off either.
    with pytest.raises(DomainError):
        services.peer_signoff(s.entry, s.peer, s.competencies["VP1"].id, "Nice.")


def test_private_and_unsaved_entries_cannot_be_submitted(app, client, login):
    s = scenario_with_entry()
    private = make_entry(s.author, cohort=s.cohort, privacy="private",
                         competencies=[s.competencies["VP1"]])
    draft = make_entry(s.author, cohort=s.cohort, published=False,
                       competencies=[s.competencies["VP1"]])
    db.session.commit()
    with pytest.raises(DomainError, match="“Only me”"):
        services.submit_for_review(private, s.author, [s.competencies["VP1"].id])
    with pytest.raises(DomainError, match="Save the entry"):
        services.submit_for_review(draft, s.author, [s.competencies["VP1"].id])
    with pytest.raises(DomainError, match="Choose at least one competency"):
        services.submit_for_review(s.entry, s.author, [])
    with pytest.raises(DomainError, match="competencies the saved entry claims"):
        services.submit_for_review(s.entry, s.author, [s.competencies["RP1"].id])
    db.session.rollback()
    login(s.author)
    response = client.post(f"/reviews/entries/{private.id}/review-requests",
                           data={"review-competencies": [str(s.competencies["VP1"].id)]})
    assert response.status_code == 400
    assert "cannot be reviewed" in response.get_data(as_text=True)


def test_a_version_is_reviewed_once_per_competency(app):
    s = scenario_with_entry()
    review_request = submit(s)
    services.complete_review(
        review_request, s.developer,
        [services.Decision(s.competencies["VP1"].id, "signed_off"),
         services.Decision(s.competencies["VP2"].id, "not_yet", "Needs a target.")],
        "", review_request.lock_version)
    db.session.commit()
    with pytest.raises(DomainError, match="Version 1 has already been reviewed for VP1, VP2"):
        services.submit_for_review(s.entry, s.author, [s.competencies["VP1"].id,
                                                       s.competencies["VP2"].id])


def test_an_unassigned_request_goes_to_every_coach_developer_of_the_cohort(app):
    from portfolio.notifications.models import Notification

    s = scenario_with_entry()
    second = add_member(s.cohort, role="coach_developer").user
    s.author_membership.coach_developer_id = None
    db.session.commit()
    review_request = submit(s)
    assert review_request.assigned_to_id is None
    told = set(db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "review_requested")))
    assert told == {s.developer.id, second.id}
    services.start_review(review_request, second)
    assert review_request.started_by_id == second.id


def test_an_entry_made_private_after_submission_is_hidden_from_reviewers(app, client, login):
    s = scenario_with_entry()
    review_request = submit(s)
    s.entry.privacy = "private"
    db.session.commit()
    login(s.developer)
    assert client.get(f"/reviews/requests/{review_request.id}").status_code == 404
    assert "Block starts" not in client.get("/reviews/dashboard").get_data(as_text=True)
    login(s.author)
    assert client.get(f"/reviews/requests/{review_request.id}").status_code == 200
