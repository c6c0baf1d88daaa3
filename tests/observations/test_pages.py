"""The observation pages as people use them: record, read, change, share, reflect, templates."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portfolio.extensions import db
from portfolio.observations.models import Observation, ObservationTemplate
from tests.factories import make_scenario
from tests.observations.builders import default_template, form_data, make_observation


def _world():
    s = make_scenario()
    s.template = default_template(s.framework)
    db.session.commit()
    return s


def test_a_developer_records_an_observation_and_the_candidate_reads_it(app, client, login):
    s = _world()
    login(s.developer)
    index = client.get("/observations/").get_data(as_text=True)
    assert f"/observations/new/{s.cohort.id}/{s.author.id}" in index
    page = client.get(f"/observations/new/{s.cohort.id}/{s.author.id}?template={s.template.id}")
    assert page.status_code == 200 and "Planning and set-up" in page.get_data(as_text=True)
    data = form_data(s.template, strengths="**Calm** cues <script>alert(1)</script>")
    response = client.post(f"/observations/new/{s.cohort.id}/{s.author.id}", data=data)
    assert response.status_code == 302
    observation = db.session.scalar(select(Observation))
    assert response.headers["Location"].endswith(f"/observations/{observation.id}")
    login(s.author)
    body = client.get(f"/observations/{observation.id}").get_data(as_text=True)
    assert "<strong>Calm</strong> cues" in body and "<script>" not in body
    assert "Your observed session" in body and "Strength" in body  # the rating given
    assert f"/observations/{observation.id}" in client.get("/observations/").get_data(as_text=True)


def test_a_refused_record_keeps_what_was_typed_next_to_the_error(app, client, login):
    s = _world()
    login(s.developer)
    data = form_data(s.template, observed_on="", strengths="Kept words about the relay")
    response = client.post(f"/observations/new/{s.cohort.id}/{s.author.id}", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in body and "Enter the date of the session." in body
    assert "Kept words about the relay" in body
    assert db.session.scalar(select(func.count(Observation.id))) == 0


def test_an_edit_from_a_stale_tab_gets_a_409_with_the_text_kept(app, client, login):
    s = _world()
    observation = make_observation(s)
    db.session.commit()
    login(s.developer)
    stale = str(observation.lock_version)
    first = client.post(f"/observations/{observation.id}/edit", data=form_data(
        s.template, lock_version=stale, strengths="From the first tab"))
    assert first.status_code == 302
    second = client.post(f"/observations/{observation.id}/edit", data=form_data(
        s.template, lock_version=stale, strengths="Words typed in the second tab"))
    body = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Words typed in the second tab" in body and "not saved" in body
    db.session.expire_all()
    assert db.session.get(Observation, observation.id).strengths == "From the first tab"


def test_the_candidate_shares_and_reflects(app, client, login):
    s = _world()
    observation = make_observation(s)
    db.session.commit()
    login(s.peer)
    assert client.get(f"/observations/{observation.id}").status_code == 404
    login(s.author)
    assert client.post(f"/observations/{observation.id}/share",
                       data={"shared": "1"}).status_code == 302
    login(s.peer)
    assert client.get(f"/observations/{observation.id}").status_code == 200
    login(s.author)
    first = client.post(f"/observations/{observation.id}/reflect")
    match = re.search(r"/portfolio/entries/(\d+)/edit$", first.headers["Location"])
    assert first.status_code == 302 and match
    again = client.post(f"/observations/{observation.id}/reflect")  # a second tab, later
    assert again.headers["Location"] == first.headers["Location"]
    page = client.get(f"/observations/{observation.id}").get_data(as_text=True)
    assert "Open your reflection on this observation" in page
    editor = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Observed by Dev Eloper" in editor


def test_a_lead_writes_a_template_and_a_bad_line_is_shown_by_the_field(app, client, login):
    s = _world()
    login(s.lead)
    data = {"framework": str(s.framework.id), "name": "Indoor observation",
            "structure": "## Warm-up\n- Warm-up is progressive [XX1]", "scale": "No\nYes"}
    refused = client.post("/observations/templates/new", data=data)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "XX1 is not a competency code" in body
    assert "Warm-up is progressive" in body
    data["structure"] = "## Warm-up\n- Warm-up is progressive [VP1]"
    saved = client.post("/observations/templates/new", data=data)
    assert saved.status_code == 302
    template = db.session.scalar(select(ObservationTemplate).where(
        ObservationTemplate.name == "Indoor observation"))
    assert client.post(f"/observations/templates/{template.id}/publish").status_code == 302
    db.session.expire_all()
    assert db.session.get(ObservationTemplate, template.id).status == "published"
    # A published template's edit page sends the lead back to read it.
    assert client.get(f"/observations/templates/{template.id}/edit").status_code == 302
    listing = client.get("/observations/templates").get_data(as_text=True)
    assert "Indoor observation (version 1)" in listing and "Session observation" in listing


def test_the_list_and_the_record_page_are_bounded_in_statements(app, client, login):
    from tests.reviews.builders import StatementCounter

    s = _world()
    login(s.developer)

    def counts():
        found = []
        for url in ("/observations/", f"/observations/{first.id}"):
            with StatementCounter(db.engine) as counter:
                assert client.get(url).status_code == 200
            found.append(counter.count)
        return found

    first = make_observation(s)
    db.session.commit()
    few = counts()
    for _ in range(6):
        make_observation(s)
    db.session.commit()
    assert counts() == few
