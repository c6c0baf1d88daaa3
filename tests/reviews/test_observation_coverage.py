"""Observations count in the coverage view and the progress matrix as their own kind of
evidence, as each viewer may read them."""

from __future__ import annotations

import pytest

from portfolio.extensions import db
from portfolio.reviews.observed import observed_counts
from tests.factories import competency, make_scenario
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


@pytest.mark.parametrize("shared", [False, True])
def test_each_viewer_counts_only_the_observations_they_may_read(app, shared):
    s = _world(shared)
    seen = {name: observed_counts(getattr(s, name), [s.author.id]).get((s.author.id, "VP1"), 0)
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
