"""Observations in search: found by exactly the people who may read them, linked to their page."""

from __future__ import annotations

import pytest

from portfolio.extensions import db
from portfolio.observations import services
from tests.factories import competency, make_scenario
from tests.observations.builders import make_observation, observation_data
from tests.policy_world import add_cross_cohort_actors

ROLES = ("author", "developer", "peer", "outsider", "other_developer", "other_candidate",
         "lead", "admin", "stranger", "earlier_developer", "later_developer",
         "earlier_candidate", "later_candidate")


def _world(shared=False):
    s = make_scenario()
    add_cross_cohort_actors(s)
    s.vp1 = competency(s.framework, "VP1")
    s.observation = make_observation(s, shared=shared, competency_ids=[s.vp1.id],
                                     strengths="Quokkaflip cues landed with every sprinter")
    db.session.commit()
    return s


def _finds(client, login, user, query="quokkaflip", **args):
    login(user)
    response = client.get("/search/", query_string={"q": query, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("shared", [False, True])
def test_each_role_finds_the_observation_only_when_they_may_read_it(app, client, login, shared):
    s = _world(shared)
    link = f'href="/observations/{s.observation.id}"'
    readers = {"author", "developer"} | ({"peer"} if shared else set())
    found = {role for role in ROLES if link in _finds(client, login, getattr(s, role))}
    assert found == readers
    body = _finds(client, login, s.author)
    assert "Observation" in body and "Session observation" in body


def test_filters_by_kind_cohort_and_competency(app, client, login):
    s = _world()
    link = f'href="/observations/{s.observation.id}"'
    assert link in _finds(client, login, s.developer, kind="observation")
    assert link not in _finds(client, login, s.developer, kind="entry")
    assert link in _finds(client, login, s.author, cohort=str(s.cohort.id))
    # the author is a candidate of the later cohort too: the observation stays with cohort A
    assert link not in _finds(client, login, s.author, cohort=str(s.later_cohort.id))
    assert link in _finds(client, login, s.developer, competency="VP1")
    assert link not in _finds(client, login, s.developer, competency="RP1")


def test_a_changed_observation_is_found_by_its_new_words_only(app, client, login):
    s = _world()
    services.update_observation(s.developer, s.observation, observation_data(
        s.observation.template, strengths="Zebraglide drills replaced the old ones",
        competency_ids=[s.vp1.id]), s.observation.lock_version)
    db.session.commit()
    link = f'href="/observations/{s.observation.id}"'
    assert link not in _finds(client, login, s.author)
    assert link in _finds(client, login, s.author, query="zebraglide")
