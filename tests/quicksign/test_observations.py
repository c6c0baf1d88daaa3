"""Ask for sign-off now from an observation: the code signs the candidate's reflection on it,
with the observation attached as evidence that the signer sees."""

from __future__ import annotations

from sqlalchemy import select

from portfolio.extensions import db
from portfolio.observations.models import ObservationReflection
from portfolio.quicksign import services
from portfolio.reviews.models import ReviewRequest, Signoff
from tests.factories import competency, make_scenario
from tests.observations.builders import make_observation
from tests.policy_world import add_cross_cohort_actors
from tests.quicksign.builders import claimed_entry, signed_off_form


def _world(reflected=True):
    s = make_scenario()
    add_cross_cohort_actors(s)
    s.observation = make_observation(s, competency_ids=[competency(s.framework, "VP1").id])
    s.entry = claimed_entry(s)
    if reflected:
        db.session.add(ObservationReflection(observation_id=s.observation.id,
                                             entry_id=s.entry.id))
    db.session.commit()
    return s


def test_from_the_observation_to_a_signed_reflection_with_the_observation_attached(
        app, client, login):
    s = _world()
    login(s.author)
    start = client.get(f"/observations/{s.observation.id}/quick-sign")
    assert start.status_code == 302
    ask = start.headers["Location"]
    assert ask.endswith(f"/entries/{s.entry.id}/quick-sign?observation={s.observation.id}")
    page = client.get(ask).get_data(as_text=True)
    assert "Attached as evidence: the observation of your session" in page
    vp1 = competency(s.framework, "VP1")
    shown = client.post(ask, data={"quick-competencies": [str(vp1.id)]})
    assert shown.status_code == 302
    request_row = db.session.scalar(select(ReviewRequest))
    assert request_row.observation_id == s.observation.id
    code = db.session.scalar(select(services.QuickSignCode))
    raw = client.get(shown.headers["Location"]).get_data(as_text=True).split("/q/")[1][:16]
    assert services.find_code(raw).id == code.id

    login(s.developer)
    sign_page = client.get(f"/q/{raw}").get_data(as_text=True)
    assert "Observation attached as evidence" in sign_page
    assert f'href="/observations/{s.observation.id}"' in sign_page
    signed = client.post(f"/q/{raw}", data=signed_off_form(s, codes=("VP1",)))
    assert signed.status_code == 302
    assert db.session.scalar(select(Signoff.competency_code)) == "VP1"


def test_before_a_reflection_the_candidate_is_told_to_write_it_first(app, client, login):
    s = _world(reflected=False)
    login(s.author)
    page = client.get(f"/observations/{s.observation.id}/quick-sign")
    assert page.status_code == 200
    assert "write that reflection first" in page.get_data(as_text=True)


def test_only_the_observed_candidate_may_ask(app, client, login):
    s = _world()
    for someone in (s.developer, s.peer, s.outsider, s.lead, s.later_developer,
                    s.earlier_candidate, s.stranger):
        login(someone)
        assert client.get(f"/observations/{s.observation.id}/quick-sign").status_code == 404


def test_someone_elses_observation_cannot_be_attached(app, client, login):
    s = _world()
    s.observation.candidate_id = s.peer.id
    db.session.commit()
    login(s.author)
    assert client.get(f"/entries/{s.entry.id}/quick-sign?observation={s.observation.id}"
                      ).status_code == 404
    assert client.get(f"/entries/{s.entry.id}/quick-sign?observation=nonsense"
                      ).status_code == 200  # not a number: no observation named


def test_a_later_cohorts_coach_developer_cannot_sign_with_the_code(app, client, login):
    s = _world()
    vp1 = competency(s.framework, "VP1")
    _, raw = services.ask_for_quick_sign(s.entry, s.author, [vp1.id],
                                         observation_id=s.observation.id)
    db.session.commit()
    for someone in (s.later_developer, s.earlier_developer, s.later_candidate,
                    s.earlier_candidate, s.outsider):
        login(someone)
        assert client.get(f"/q/{raw}").status_code == 404


def _observation_code(s, template_name="Session observation"):
    from tests.observations.builders import default_template

    if template_name != "Session observation":
        s.observation.template_id = default_template(s.framework, template_name).id
        db.session.flush()
    vp1 = competency(s.framework, "VP1")
    _, raw = services.ask_for_quick_sign(s.entry, s.author, [vp1.id],
                                         observation_id=s.observation.id)
    db.session.commit()
    return raw


def test_a_peer_signs_with_the_code_when_the_template_lets_peers_observe(app, client, login):
    s = _world()
    raw = _observation_code(s)
    login(s.peer)
    page = client.get(f"/q/{raw}")
    assert page.status_code == 200 and "Observation attached as evidence" in page.get_data(
        as_text=True)
    data = signed_off_form(s, codes=("VP1",))
    signed = client.post(f"/q/{raw}", data=data)
    assert signed.status_code == 302
    assert signed.headers["Location"].endswith(f"/portfolio/entries/{s.entry.id}")
    signoff = db.session.scalar(select(Signoff))
    assert (signoff.role, signoff.reviewer_id, signoff.competency_code) == ("peer", s.peer.id,
                                                                             "VP1")
    assert client.get(f"/q/{raw}").status_code == 404  # spent
    login(s.developer)
    assert client.get(f"/q/{raw}").status_code == 404


def test_a_peer_cannot_sign_when_the_template_is_for_coach_developers_only(app, client, login):
    s = _world()
    raw = _observation_code(s, "Competition-day observation")
    for someone in (s.peer, s.outsider, s.later_candidate):
        login(someone)
        assert client.get(f"/q/{raw}").status_code == 404
    login(s.developer)
    assert client.get(f"/q/{raw}").status_code == 200


def test_a_code_without_an_observation_is_still_for_coach_developers_only(app, client, login):
    s = _world()
    vp1 = competency(s.framework, "VP1")
    _, raw = services.ask_for_quick_sign(s.entry, s.author, [vp1.id])
    db.session.commit()
    login(s.peer)
    assert client.get(f"/q/{raw}").status_code == 404


def test_a_peer_who_signs_nothing_leaves_the_code_unspent(app, client, login):
    s = _world()
    raw = _observation_code(s)
    login(s.peer)
    refused = client.post(f"/q/{raw}", data=signed_off_form(s, codes=("VP1",)) | {
        f"decision_{competency(s.framework, 'VP1').id}": "not_yet"})
    assert refused.status_code in (400, 409)
    assert db.session.scalar(select(Signoff.id)) is None
    assert client.get(f"/q/{raw}").status_code == 200


def test_the_observation_page_offers_its_candidate_the_in_person_sign_off_once_reflected(
        app, client, login):
    s = _world()
    link = f'href="/observations/{s.observation.id}/quick-sign"'
    login(s.author)
    assert link in client.get(f"/observations/{s.observation.id}").get_data(as_text=True)
    login(s.developer)
    assert link not in client.get(f"/observations/{s.observation.id}").get_data(as_text=True)


def test_without_a_reflection_the_observation_page_offers_no_in_person_sign_off(
        app, client, login):
    s = _world(reflected=False)
    login(s.author)
    page = client.get(f"/observations/{s.observation.id}").get_data(as_text=True)
    assert "/quick-sign" not in page and "Reflect on this observation" in page
