"""id_links builds the same URLs as url_for, for this request's application root."""

import pytest
from flask import url_for

from portfolio.urls import fixed_url, id_links


@pytest.mark.parametrize(("endpoint", "key", "values"), [
    ("entries.show_entry", "entry_id", {}),
    ("entries.home", "competency", {}),
    ("entries.home", "competency", {"status": "draft", "page": 2}),
])
def test_same_urls_as_url_for(app, endpoint, key, values):
    with app.test_request_context("/"):
        link = id_links(endpoint, key, **values)
        for ident in (1, 42, 9_000_000):
            assert link(ident) == url_for(endpoint, **values, **{key: ident})


def test_follows_the_application_root_of_the_request(app):
    with app.test_request_context("/", base_url="http://localhost/coaching/"):
        assert url_for("entries.show_entry", entry_id=7) == "/coaching/portfolio/entries/7"
        assert id_links("entries.show_entry", "entry_id")(7) == "/coaching/portfolio/entries/7"


def test_two_ids_in_one_link(app):
    with app.test_request_context("/"):
        link = id_links("reviews.candidate_progress_page", "cohort_id", "user_id")
        for cohort_id, user_id in ((3, 41), (12, 9), (1, 1)):
            assert link(cohort_id, user_id) == url_for(
                "reviews.candidate_progress_page", cohort_id=cohort_id, user_id=user_id)
        # Named in the other order than the route has them: still each in its place.
        swapped = id_links("reviews.candidate_progress_page", "user_id", "cohort_id")
        assert swapped(41, 3) == link(3, 41)
        with pytest.raises(TypeError):
            link(3)


def test_refuses_anything_but_a_number(app):
    with app.test_request_context("/"):
        link = id_links("entries.show_entry", "entry_id")
        with pytest.raises(ValueError):
            link("7/../../admin")


def test_fixed_urls_match_url_for_under_each_application_root(app):
    for root in ("http://localhost/", "http://localhost/coaching/", "http://localhost/other/"):
        for _ in range(2):  # the second time from what was remembered
            with app.test_request_context("/", base_url=root):
                assert fixed_url("static", filename="css/app.css") == url_for(
                    "static", filename="css/app.css")
                assert fixed_url("auth.settings") == url_for("auth.settings")
                assert fixed_url("auth.settings").startswith(root[len("http://localhost"):])


def test_every_page_header_links_under_the_application_root(app, client):
    page = client.get("/account/login", base_url="http://localhost/coaching/")
    body = page.get_data(as_text=True)
    assert 'href="/coaching/static/css/app.css"' in body
    assert 'href="/static/css/app.css"' not in body
