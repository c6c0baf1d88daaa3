"""Peer sign-off, the framework's rule (k of n), revocation and programme completion."""

import pytest
from sqlalchemy import select

from portfolio.audit.models import AuditEvent
from portfolio.errors import DomainError
from portfolio.extensions import db
from portfolio.reviews import services
from portfolio.reviews.models import ProgrammeCompletion
from portfolio.reviews.progress import candidate_progress
from tests.factories import add_member, add_version, make_entry, make_peer_group
from tests.reviews.builders import decide, render_panel, scenario_with_entry, submit


def test_peer_sign_off_counts_toward_the_peer_rule(app, client, login):
    s = scenario_with_entry()  # VP2 needs one coach developer and one peer sign-off
    login(s.peer)
    response = client.post(f"/reviews/entries/{s.entry.id}/peer-signoffs", data={
        "peer-competency": str(s.competencies["VP2"].id),
        "peer-note": "The warm-up plan clearly built towards the main set."})
    assert response.status_code == 302
    progress = candidate_progress(s.author.id, s.framework)
    assert progress.items["VP2"].peer_signoffs == 1
    assert progress.items["VP2"].state == "claimed"
    assert progress.items["VP2"].label == "Claimed (1 of 2)"
    review_request = submit(s, codes=("VP2",))
    decide(s, review_request, {"VP2": ("signed_off", "Yes")})
    progress = candidate_progress(s.author.id, s.framework)
    assert progress.items["VP2"].is_met
    assert progress.items["VP2"].label == "Signed off (2 of 2)"


def test_one_peer_counts_once_however_many_versions_they_sign(app):
    s = scenario_with_entry()
    services.peer_signoff(s.entry, s.peer, s.competencies["VP2"].id, "Good.")
    add_version(s.entry)
    services.peer_signoff(s.entry, s.peer, s.competencies["VP2"].id, "Still good.")
    db.session.commit()
    assert candidate_progress(s.author.id, s.framework).items["VP2"].peer_signoffs == 1


def test_peer_sign_off_needs_a_claimed_competency_and_a_note(app):
    s = scenario_with_entry(codes=("VP1",))
    with pytest.raises(DomainError, match="Choose a competency this entry claims"):
        services.peer_signoff(s.entry, s.peer, s.competencies["RP1"].id, "Note")
    with pytest.raises(DomainError, match="Add a short note"):
        services.peer_signoff(s.entry, s.peer, s.competencies["VP1"].id, "   ")
    with pytest.raises(DomainError, match="500 characters"):
        services.peer_signoff(s.entry, s.peer, s.competencies["VP1"].id, "x" * 501)


def test_the_panel_offers_peer_sign_off_only_to_the_peer_group(app):
    s = scenario_with_entry(privacy="cohort")
    assert "Sign off a competency as a peer" in render_panel(app, s.entry, s.peer)
    for viewer in (s.author, s.outsider, s.developer, s.lead):
        assert "Sign off a competency as a peer" not in render_panel(app, s.entry, viewer)
    assert render_panel(app, s.entry, s.other_candidate) is None


def test_a_peer_group_boundary_is_per_group_not_per_cohort(app):
    s = scenario_with_entry(privacy="cohort")
    other_group_member = add_member(s.cohort, developer=s.developer)
    make_peer_group(s.cohort, [s.outsider_membership, other_group_member], "Throwers")
    db.session.commit()
    with pytest.raises(DomainError, match="peer group"):
        services.peer_signoff(s.entry, s.outsider, s.competencies["VP1"].id, "Nice.")


def test_not_yet_feedback_stays_between_candidate_and_coach_developers(app):
    s = scenario_with_entry()
    review_request = submit(s)
    decide(s, review_request, {"VP1": ("signed_off", "Precise cues."),
                               "VP2": ("not_yet", "PRIVATE-FEEDBACK")})
    assert "PRIVATE-FEEDBACK" in render_panel(app, s.entry, s.author)
    assert "PRIVATE-FEEDBACK" in render_panel(app, s.entry, s.developer)
    peer_view = render_panel(app, s.entry, s.peer)
    assert "PRIVATE-FEEDBACK" not in peer_view and "Precise cues." not in peer_view
    assert "VP1" in peer_view  # the sign-off itself is visible to the audience


def test_revocation_adds_a_record_and_stops_the_sign_off_counting(app, client, login):
    s = scenario_with_entry()
    review_request = submit(s, codes=("VP1",))
    signoff = decide(s, review_request, {"VP1": ("signed_off", "Yes")})[0]
    assert candidate_progress(s.author.id, s.framework).items["VP1"].is_met
    login(s.lead)
    url = f"/reviews/signoffs/{signoff.id}/revoke"
    response = client.post(url, data={"reason": ""})
    assert response.status_code == 400
    assert "Give the reason" in response.get_data(as_text=True)
    response = client.post(url, data={"reason": "Signed off on the wrong entry."})
    assert response.status_code == 302
    db.session.expire_all()
    assert not candidate_progress(s.author.id, s.framework).items["VP1"].is_met
    assert signoff.revocation.reason == "Signed off on the wrong entry."
    assert signoff.decision == "signed_off"  # the record itself is untouched
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "signoff.revoked"))
    assert event.cohort_id == s.cohort.id and "wrong entry" not in event.summary
    with pytest.raises(DomainError, match="already been revoked"):
        services.revoke_signoff(signoff, s.admin, "Again")
    with pytest.raises(DomainError, match="Only a programme lead or admin"):
        services.revoke_signoff(signoff, s.developer, "Mine")


def _complete_everything(s):
    entry = make_entry(s.author, cohort=s.cohort, privacy="peers", title="Season review",
                       competencies=list(s.competencies.values()))
    db.session.commit()
    s.entry = entry
    review_request = submit(s, codes=("VP1", "VP2", "RP1"))
    decide(s, review_request, {code: ("signed_off", "Yes") for code in ("VP1", "VP2", "RP1")})
    services.peer_signoff(entry, s.peer, s.competencies["VP2"].id, "Seen it at the track.")
    db.session.commit()


def test_programme_completion_needs_every_competency_met(app, client, login):
    s = scenario_with_entry()
    with pytest.raises(DomainError, match=r"Not every competency is signed off yet \(0 of 3"):
        services.record_completion(s.author_membership, s.lead)
    db.session.rollback()
    _complete_everything(s)
    assert candidate_progress(s.author.id, s.framework).is_complete
    login(s.lead)
    url = f"/reviews/cohorts/{s.cohort.id}/candidates/{s.author.id}"
    assert "Record programme completion" in client.get(url).get_data(as_text=True)
    response = client.post(url + "/completion", data={"note": "Final panel 12 June."},
                           follow_redirects=True)
    assert "Programme completion recorded" in response.get_data(as_text=True)
    db.session.expire_all()
    completion = db.session.scalar(select(ProgrammeCompletion))
    assert completion.recorded_by_id == s.lead.id
    assert s.author_membership.status == "completed"
    assert s.author_membership.completed_at is not None
    assert db.session.scalar(select(AuditEvent.cohort_id).where(
        AuditEvent.action == "programme.completed")) == s.cohort.id
    assert db.session.scalar(select(AuditEvent.summary).where(
        AuditEvent.action == "membership.status_changed")).count("status=completed") == 1
    response = client.post(url + "/completion", data={}, follow_redirects=True)
    assert "already been recorded" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(ProgrammeCompletion)).all()) == 1


def test_only_managers_record_completion(app, client, login):
    s = scenario_with_entry()
    _complete_everything(s)
    with pytest.raises(DomainError, match="Only a programme lead or admin"):
        services.record_completion(s.author_membership, s.developer)
    login(s.developer)
    page = client.get(f"/reviews/cohorts/{s.cohort.id}/candidates/{s.author.id}")
    assert "Record programme completion" not in page.get_data(as_text=True)
