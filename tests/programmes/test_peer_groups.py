"""Peer groups: named circles of 2-6 candidates inside one cohort."""

import pytest
from sqlalchemy import select

from portfolio.audit.models import AuditEvent
from portfolio.errors import DomainError
from portfolio.extensions import db
from portfolio.programmes.membership import delete_peer_group, save_peer_group
from portfolio.programmes.models import PeerGroup
from tests.factories import add_member, make_scenario


def test_lead_creates_a_peer_group_from_the_cohort_page(client, login):
    s = make_scenario()
    others = [add_member(s.cohort, developer=s.developer) for _ in range(2)]
    db.session.commit()
    login(s.lead)
    url = f"/programme/cohorts/{s.cohort.id}/peer-groups/new"
    form = client.get(url).get_data(as_text=True)
    # Candidates already in a group are not offered.
    assert "Olu Outsider" in form and "Aisha Author" not in form
    ids = [str(s.outsider_membership.id), *(str(m.id) for m in others)]
    response = client.post(url, data={"name": "Throwers", "membership_ids": ids})
    assert response.status_code == 302
    group = db.session.scalar(select(PeerGroup).where(PeerGroup.name == "Throwers"))
    assert sorted(link.membership_id for link in group.members) == sorted(map(int, ids))
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.action == "peer_group.created"))


@pytest.mark.parametrize("size", [1, 7])
def test_a_group_has_between_two_and_six_candidates(app, size):
    s = make_scenario()
    candidates = [add_member(s.cohort) for _ in range(size)]
    s.cohort.capacity = 50
    with pytest.raises(DomainError) as caught:
        save_peer_group(s.lead, s.cohort, None, "Circle", [m.id for m in candidates])
    assert caught.value.field == "membership_ids" and "between 2 and 6" in caught.value.message
    assert db.session.scalar(select(PeerGroup).where(PeerGroup.name == "Circle")) is None


def test_a_candidate_is_in_one_group_and_only_candidates_of_this_cohort_join(app):
    s = make_scenario()
    with pytest.raises(DomainError, match="already in the peer group"):
        save_peer_group(s.lead, s.cohort, None, "Second", [s.author_membership.id,
                                                            s.outsider_membership.id])
    other = db.session.scalar(select(PeerGroup).where(PeerGroup.id != s.peer_group.id))
    assert other is None
    developer = add_member(s.cohort, role="coach_developer")
    with pytest.raises(DomainError, match="in this cohort"):
        save_peer_group(s.lead, s.cohort, None, "Mixed", [developer.id,
                                                           s.outsider_membership.id])
    stranger = add_member(s.other_cohort)
    with pytest.raises(DomainError, match="in this cohort"):
        save_peer_group(s.lead, s.cohort, None, "Mixed", [stranger.id,
                                                           s.outsider_membership.id])


def test_editing_a_group_swaps_members_and_deleting_keeps_the_candidates(app):
    s = make_scenario()
    save_peer_group(s.lead, s.cohort, s.peer_group, "Sprint circle",
                    [s.author_membership.id, s.outsider_membership.id])
    db.session.refresh(s.peer_group)
    assert s.peer_group.name == "Sprint circle"
    assert {link.membership_id for link in s.peer_group.members} == {
        s.author_membership.id, s.outsider_membership.id}
    db.session.refresh(s.peer_membership)
    assert s.peer_membership.peer_group_link is None
    delete_peer_group(s.lead, s.peer_group)
    assert db.session.scalar(select(PeerGroup)) is None
    db.session.refresh(s.author_membership)
    assert s.author_membership.status == "active"
    summaries = db.session.scalars(select(AuditEvent.summary).where(
        AuditEvent.action.in_(("peer_group.changed", "peer_group.deleted")))).all()
    assert f"removed=[{s.peer_membership.id}]" in summaries[0]


def test_duplicate_group_name_is_refused(app):
    s = make_scenario()
    with pytest.raises(DomainError) as caught:
        save_peer_group(s.lead, s.cohort, None, "Sprinters", [s.outsider_membership.id,
                                                               add_member(s.cohort).id])
    assert caught.value.field == "name"
