"""Observations of sessions with athletes under 18: the candidate records consent from the
observation page; the peer group reads a shared one only with wider consent; withdrawal hides
it from everyone but the candidate at once, and the purge deletes it after the grace period."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portfolio.consent import services
from portfolio.consent.models import ConsentRecord
from portfolio.database import utcnow
from portfolio.extensions import db
from portfolio.observations.models import Observation
from portfolio.observations.permissions import can_view_observation
from portfolio.observations.queries import visible_observations_filter
from tests.consent.builders import GIVEN_ON
from tests.factories import make_scenario
from tests.observations.builders import make_observation
from tests.policy_world import add_cross_cohort_actors

ROLES = ("author", "developer", "peer", "outsider", "lead", "admin", "other_developer",
         "earlier_developer", "later_developer")


def _readers(s, observation) -> set[str]:
    allowed = set()
    for role in ROLES:
        user = getattr(s, role)
        one = can_view_observation(user, observation)
        listed = db.session.scalar(select(Observation.id).where(
            Observation.id == observation.id, visible_observations_filter(user))) is not None
        assert one == listed, role
        if one:
            allowed.add(role)
    return allowed


def _world():
    s = make_scenario()
    add_cross_cohort_actors(s)
    return s, make_observation(s, shared=True)


def test_the_peer_group_needs_wider_consent(app):
    s, observation = _world()
    assert _readers(s, observation) == {"author", "developer", "peer"}
    consent = services.flag_observation(s.author, observation)
    assert _readers(s, observation) == {"author", "developer"}
    services.record_consent(s.author, consent, given_by="Maria Parent", relationship="parent",
                            given_on=GIVEN_ON, scope="assessment")
    assert _readers(s, observation) == {"author", "developer"}


def test_with_wider_consent_the_peer_reads_it(app):
    s, observation = _world()
    consent = services.flag_observation(s.author, observation)
    services.record_consent(s.author, consent, given_by="Maria Parent", relationship="parent",
                            given_on=GIVEN_ON, scope="wider")
    assert _readers(s, observation) == {"author", "developer", "peer"}


def test_withdrawal_hides_it_and_the_purge_deletes_it_after_the_grace(app, client, login):
    s, observation = _world()
    consent = services.flag_observation(s.author, observation)
    moment = utcnow()
    services.withdraw_consent(s.author, consent, now=moment)
    db.session.commit()
    assert _readers(s, observation) == {"author"}
    login(s.developer)
    assert client.get(f"/observations/{observation.id}").status_code == 404
    login(s.author)
    page = client.get(f"/observations/{observation.id}").get_data(as_text=True)
    assert "Consent withdrawn" in page
    assert services.purge_due(now=moment + timedelta(days=29)) == 0
    assert services.purge_due(now=moment + timedelta(days=31)) == 1
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Observation, observation.id) is None
    assert db.session.get(ConsentRecord, consent.id).status == "deleted"


def test_only_the_candidate_records_consent_for_their_observation(app, client, login):
    s, observation = _world()
    db.session.commit()
    for role in ("developer", "peer", "lead"):
        login(getattr(s, role))
        assert client.get(f"/consent/observations/{observation.id}").status_code == 404
        assert client.post(f"/consent/observations/{observation.id}/flag").status_code == 404
    login(s.author)
    page = client.get(f"/observations/{observation.id}").get_data(as_text=True)
    assert "Record the consent a parent or carer gave" in page  # an under-17 session
    assert client.post(f"/consent/observations/{observation.id}/flag").status_code == 302
    assert db.session.scalar(select(ConsentRecord.observation_id)) == observation.id
