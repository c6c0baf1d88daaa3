"""The coach developer dashboard: open requests oldest first, overdue highlighted, filters,
one row per candidate, recent activity, paginated, and a fixed number of SQL statements."""

from datetime import timedelta

from sqlalchemy import select

from portfolio.extensions import db
from portfolio.programmes.models import Specialism
from portfolio.reviews import services
from portfolio.reviews.models import ReviewRequest
from tests.factories import add_member, make_entry, make_user
from tests.reviews.builders import StatementCounter, scenario_with_entry, submit


def _specialism(name):
    found = db.session.scalar(select(Specialism).where(Specialism.name == name))
    if found is None:
        found = Specialism(name=name, position=99)
        db.session.add(found)
        db.session.flush()
    return found


def _add_candidates(s, count, start=0):
    sprints, throws = _specialism("Sprints and hurdles"), _specialism("Throws")
    for n in range(start, start + count):
        user = make_user(name=f"Candidate {n:03d}")
        membership = add_member(s.cohort, user, developer=s.developer)
        membership.specialisms.append(sprints if n % 2 else throws)
        entry = make_entry(user, cohort=s.cohort, privacy="peers", title=f"Session {n}",
                           competencies=[s.competencies["VP1"], s.competencies["VP2"]])
        db.session.flush()
        services.submit_for_review(entry, user, [s.competencies["VP1"].id])
        services.add_comment(entry, user, "Notes for my coach developer.")
    db.session.commit()


def _count(app, user, url):
    client = app.test_client()
    from tests.factories import sign_in

    sign_in(client, user)
    client.get(url)  # warm caches (URL map lookups, templates)
    with StatementCounter(db.engine) as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


def test_statement_count_is_the_same_for_5_and_50_candidates(app):
    s = scenario_with_entry()
    _add_candidates(s, 5)
    small = {url: _count(app, s.developer, url) for url in (
        "/reviews/dashboard", "/reviews/requests", "/reviews/dashboard?competency=VP1")}
    _add_candidates(s, 45, start=5)
    large = {url: _count(app, s.developer, url) for url in small}
    assert large == small
    assert max(small.values()) <= 30, small  # a fixed budget, whatever the size


def test_requests_oldest_first_overdue_highlighted_and_scoped_to_my_cohorts(app, client, login):
    s = scenario_with_entry()
    _add_candidates(s, 3)
    oldest = db.session.scalars(select(ReviewRequest).order_by(ReviewRequest.id)).first()
    oldest.due_on = oldest.due_on - timedelta(days=30)
    oldest.created_at = oldest.created_at - timedelta(days=40)
    db.session.commit()
    login(s.developer)
    page = client.get("/reviews/dashboard").get_data(as_text=True)
    assert page.index("Candidate 000") < page.index("Candidate 001") < page.index("Candidate 002")
    assert 'class="is-overdue"' in page and "Overdue" in page
    login(s.other_developer)
    page = client.get("/reviews/dashboard").get_data(as_text=True)
    assert "Candidate 000" not in page and "Session 0" not in page


def test_filters_narrow_requests_and_candidates(app, client, login):
    s = scenario_with_entry()
    _add_candidates(s, 4)
    throws = _specialism("Throws")
    login(s.developer)
    page = client.get(f"/reviews/dashboard?specialism={throws.id}").get_data(as_text=True)
    assert "Candidate 000" in page and "Candidate 002" in page
    assert "Candidate 001" not in page and "Candidate 003" not in page
    page = client.get("/reviews/requests?competency=VP2").get_data(as_text=True)
    assert "No review requests are waiting for you with these filters" in page
    page = client.get("/reviews/dashboard?competency=VP1").get_data(as_text=True)
    assert "Awaiting review" in page  # the competency column shows each candidate's state
    page = client.get(f"/reviews/dashboard?cohort={s.other_cohort.id}").get_data(as_text=True)
    assert "Candidate 000" in page  # not one of my cohorts: the filter is ignored, not leaked
    assert client.get("/reviews/dashboard?cohort=abc&specialism=-1").status_code == 200


def test_candidate_rows_show_completion_last_activity_and_what_awaits_me(app, client, login):
    s = scenario_with_entry()
    submit(s)
    login(s.developer)
    page = client.get("/reviews/dashboard").get_data(as_text=True)
    assert "Aisha Author" in page and "Your candidate" in page
    assert "0%" in page and "1 review" in page
    assert "Recent activity" in page and "Block starts" in page


def test_pagination_splits_candidates(app, client, login):
    s = scenario_with_entry()
    app.config["ITEMS_PER_PAGE"] = 2
    _add_candidates(s, 3)
    login(s.developer)
    first = client.get("/reviews/dashboard").get_data(as_text=True)
    second = client.get("/reviews/dashboard?page=2").get_data(as_text=True)
    assert "Page 1 of 3" in first and "Page 2 of 3" in second


def test_coach_developers_land_on_the_dashboard_and_candidates_do_not(app, client, login):
    s = scenario_with_entry()
    login(s.developer)
    response = client.get("/home")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/reviews/dashboard")
    login(s.author)
    assert client.get("/reviews/dashboard").status_code == 403
    assert "/reviews/dashboard" not in client.get("/home").headers.get("Location", "")


def test_statements_built_once_are_bound_to_each_viewer_in_turn(app):
    # The dashboard's lists are built once per application with the viewer bound: two coach
    # developers of different cohorts, one after the other on the same app (and again with
    # each filter set), each see their own cohort's requests and candidates and never the
    # other's.
    from tests.factories import sign_in

    first, second = scenario_with_entry(), scenario_with_entry()
    first.author.display_name, second.author.display_name = "Hana Hurdles", "Sol Shotput"
    db.session.commit()
    links = {first.developer.id: f'href="/reviews/requests/{submit(first).id}"',
             second.developer.id: f'href="/reviews/requests/{submit(second).id}"'}
    names = {first.developer.id: "Hana Hurdles", second.developer.id: "Sol Shotput"}
    for s, other in ((first, second), (second, first), (first, second)):
        client = app.test_client()
        sign_in(client, s.developer)
        for query in ("", f"?cohort={s.cohort.id}", "?competency=VP1",
                      f"?cohort={other.cohort.id}"):  # not theirs: the filter is dropped
            for url in ("/reviews/dashboard", "/reviews/requests"):
                page = client.get(url + query).get_data(as_text=True)
                assert links[s.developer.id] in page and names[s.developer.id] in page
                assert links[other.developer.id] not in page, (url, query)
                assert names[other.developer.id] not in page, (url, query)
