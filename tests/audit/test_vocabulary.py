"""Audit events in words: titles for codes, facts read back from the summary, people by name."""

from __future__ import annotations

from types import SimpleNamespace

from portfolio.audit.vocabulary import describe, facts_of, person_ids, title_for


def _event(action, summary="", actor_id=1, target_type=None, target_id=None):
    return SimpleNamespace(action=action, summary=summary, actor_id=actor_id,
                           target_type=target_type, target_id=target_id)


def test_facts_come_back_even_when_a_value_holds_commas():
    assert facts_of("name=Sprints, hurdles and relays, version=2") == {
        "name": "Sprints, hurdles and relays", "version": "2"}
    assert facts_of("") == {}


def test_an_unknown_code_still_reads_as_words():
    assert title_for("login.throttled") == "Login throttled"
    assert title_for("signoff.revoked") == "Revoked a sign-off"


def test_a_sign_off_in_words_with_people_named_and_fingerprints_left_out():
    event = _event("signoff.recorded", "candidate_id=7, competency=VP1, content_hash=ab12, "
                   "decision=not_yet, entry_id=3, request_id=4, version=2",
                   target_type="Signoff", target_id=9)
    said = describe(event, {7: "Aisha Author"})
    assert said.title == "Recorded “not yet” for a competency"
    assert said.details == ["Sign-off #9", "Candidate: Aisha Author", "Competency: VP1",
                            "Decision: not yet", "Entry #3", "Review request #4", "Version 2"]
    assert person_ids([event]) == {1, 7}


def test_status_changes_read_from_and_to_and_erased_people_are_former_members():
    event = _event("membership.status_changed", "previous=invited, status=active, user_id=5",
                   target_type="CohortMembership", target_id=2)
    assert describe(event, {}).details == ["Membership #2", "From invited to active",
                                           "Member: a former member (account 5)"]


def test_ones_own_sign_in_does_not_repeat_the_person():
    event = _event("login.succeeded", target_type="User", target_id=1)
    assert describe(event, {1: "Aisha Author"}).details == []
    granted = _event("role.granted", "role=admin", target_type="User", target_id=2)
    assert describe(granted, {2: "Pat Peer"}).details == ["Person: Pat Peer", "Role: admin"]


def test_empty_facts_are_left_out_and_codes_read_as_words():
    event = _event("feedback.requested", "relationship=head_coach, replaced=",
                   target_type="FeedbackRequest", target_id=1)
    assert describe(event, {}).details == ["Feedback request #1", "Relationship: head coach"]


def test_an_object_kind_without_words_of_its_own_still_reads_as_words():
    event = _event("webhook.created", "", target_type="WebhookEndpoint", target_id=4)
    assert describe(event, {}).details == ["Webhook endpoint #4"]
