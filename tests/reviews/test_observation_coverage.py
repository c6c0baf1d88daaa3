"""Observations count in the coverage view and the progress matrix as their own kind of
evidence, as each viewer may read them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portfolio.errors import DomainError
from portfolio.extensions import db
from portfolio.reviews import services
from portfolio.reviews.models import ReviewRequest
from portfolio.reviews.observed import observed_counts
from tests.factories import competency, make_entry, make_scenario
from tests.observations.builders import make_observation
from tests.policy_world import add_cross_cohort_actors


def _world(shared=False):
    s = make_scenario()
    add_cross_cohort_actors(s)
    vp1 = competency(s.framework, "VP1")
    s.observation = make_observation(s, shared=shared, competency_ids=[vp1.id])
    make_observation(s, shared=shared, competency_ids=[vp1.id], venue="Second session")
    db.session.commit()
    return s


@pytest.mark.parametrize("by_cohort", [False, True])
@pytest.mark.parametrize("shared", [False, True])
def test_each_viewer_counts_only_the_observations_they_may_read(app, shared, by_cohort):
    s = _world(shared)

    def counted(viewer):
        counts = (observed_counts(viewer, cohort_id=s.cohort.id) if by_cohort
                  else observed_counts(viewer, [s.author.id]))
        return counts.get((s.author.id, "VP1"), 0)

    # One statement serves every viewer (built once, the viewer bound): each still counts
    # only what they may read.
    seen = {name: counted(getattr(s, name))
            for name in ("author", "developer", "peer", "outsider", "other_developer",
                         "other_candidate", "lead", "stranger", "earlier_developer",
                         "later_developer", "earlier_candidate", "later_candidate")}
    readers = {"author", "developer"} | ({"peer"} if shared else set())
    assert seen == {name: (2 if name in readers else 0) for name in seen}


def test_the_candidate_progress_page_shows_the_marker_and_its_legend(app, client, login):
    s = _world()
    for viewer in (s.author, s.developer):
        login(viewer)
        body = client.get(f"/reviews/cohorts/{s.cohort.id}/candidates/{s.author.id}"
                          ).get_data(as_text=True)
        assert "Observed 2 times" in body and "Key: <span aria-hidden=\"true\">◆</span>" in body


def test_a_later_cohorts_developer_sees_no_marker_for_cohort_a(app, client, login):
    s = _world()
    login(s.later_developer)
    page = client.get(f"/reviews/cohorts/{s.later_cohort.id}/candidates/{s.author.id}")
    assert page.status_code == 200 and "Observed 2 times" not in page.get_data(as_text=True)
    matrix = client.get(f"/exports/cohorts/{s.later_cohort.id}/progress").get_data(as_text=True)
    assert "observed 2 times" not in matrix
    assert client.get(f"/reviews/cohorts/{s.cohort.id}/candidates/{s.author.id}"
                      ).status_code == 404


def test_the_matrix_and_its_csv_and_xlsx_show_observed_cells(app, client, login):
    s = _world()
    login(s.developer)
    body = client.get(f"/exports/cohorts/{s.cohort.id}/progress").get_data(as_text=True)
    assert 'class="matrix__observed" aria-hidden="true">◆</span>' in body
    assert "observed 2 times</span>" in body and "Observed: an observation you may read" in body
    csv = client.get(f"/exports/cohorts/{s.cohort.id}/progress.csv").get_data(as_text=True)
    assert "; observed 2 times" in csv
    assert csv.count("observed") == 1  # only the author's VP1 cell
    xlsx = client.get(f"/exports/cohorts/{s.cohort.id}/progress.xlsx")
    assert xlsx.status_code == 200
    login(s.lead)  # a lead reads no observation, so counts none
    assert "observed 2 times" not in client.get(
        f"/exports/cohorts/{s.cohort.id}/progress.csv").get_data(as_text=True)


# --- attaching an observation when asking for sign-off --------------------------------------

def _entry_world():
    s = _world()
    s.vp1 = competency(s.framework, "VP1")
    s.entry = make_entry(s.author, cohort=s.cohort, competencies=[s.vp1])
    s.fellow_observation = make_observation(s, competency_ids=[s.vp1.id])
    s.fellow_observation.candidate_id = s.peer.id  # the peer's own observed session
    db.session.commit()
    return s


def test_the_candidate_attaches_an_observation_and_the_reviewer_follows_it(app, client, login):
    s = _entry_world()
    login(s.author)
    entry_page = client.get(f"/portfolio/entries/{s.entry.id}").get_data(as_text=True)
    assert f"/reviews/entries/{s.entry.id}/review-requests/new" in entry_page
    page = client.get(f"/reviews/entries/{s.entry.id}/review-requests/new"
                      ).get_data(as_text=True)
    assert "Attach an observation as evidence (optional)" in page
    assert f'value="{s.observation.id}"' in page
    assert f'value="{s.fellow_observation.id}"' not in page  # only their own
    response = client.post(f"/reviews/entries/{s.entry.id}/review-requests", data={
        "review-competencies": [str(s.vp1.id)], "review-observation": str(s.observation.id)})
    assert response.status_code == 302
    review_request = db.session.scalar(select(ReviewRequest))
    assert review_request.observation_id == s.observation.id
    login(s.developer)
    body = client.get(f"/reviews/requests/{review_request.id}").get_data(as_text=True)
    assert "Observation attached as evidence" in body
    assert f'href="/observations/{s.observation.id}"' in body
    assert client.get(f"/observations/{s.observation.id}").status_code == 200


def test_someone_elses_observation_is_refused_next_to_the_field(app, client, login):
    s = _entry_world()
    login(s.author)
    response = client.post(f"/reviews/entries/{s.entry.id}/review-requests", data={
        "review-competencies": [str(s.vp1.id)],
        "review-observation": str(s.fellow_observation.id), "review-message": "Kept note"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "There is a problem" in body and "Kept note" in body
    assert db.session.scalar(select(func.count(ReviewRequest.id))) == 0


def test_the_service_refuses_an_observation_of_another_cohort_or_candidate(app):
    s = _entry_world()
    with pytest.raises(DomainError, match="your observations from this cohort"):
        services.submit_for_review(s.entry, s.author, [s.vp1.id],
                                   observation_id=s.fellow_observation.id)
    s.observation.cohort_id = s.later_cohort.id
    db.session.flush()
    with pytest.raises(DomainError, match="your observations from this cohort"):
        services.submit_for_review(s.entry, s.author, [s.vp1.id], observation_id=s.observation.id)


def test_a_reviewer_who_may_not_read_the_observation_sees_no_link(app, client, login):
    s = _entry_world()
    review_request = services.submit_for_review(s.entry, s.author, [s.vp1.id],
                                                observation_id=s.observation.id)
    db.session.commit()
    login(s.lead)  # leads see requests but read no observation
    response = client.get(f"/reviews/requests/{review_request.id}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert f"/observations/{s.observation.id}" not in body
    assert "not shared with you" in body
    assert client.get(f"/observations/{s.observation.id}").status_code == 404


def test_the_request_without_an_observation_still_goes_through(app, client, login):
    s = _entry_world()
    login(s.author)
    response = client.post(f"/reviews/entries/{s.entry.id}/review-requests",
                           data={"review-competencies": [str(s.vp1.id)]})
    assert response.status_code == 302
    assert db.session.scalar(select(ReviewRequest.observation_id)) is None
