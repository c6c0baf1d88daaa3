"""Full-text search: stemming, saved versions only, exactly what each role may read, snippets
that never show hidden text, filters, hostile queries, and the index kept in step with writes."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from flask_login import login_user

from portfolio.entries.goals import GoalData, create_goal
from portfolio.entries.philosophy import save_statement
from portfolio.extensions import db
from portfolio.reviews import services
from portfolio.search import queries
from portfolio.search.indexing import rebuild_index
from portfolio.search.models import SearchDocument
from tests.factories import (
    add_member,
    add_version,
    make_cohort,
    make_entry,
    make_link_evidence,
    make_scenario,
    make_user,
    make_year,
    sign_in,
)


def _sections(text):
    return {"what": text, "so_what": "We reviewed it together.", "now_what": "Repeat next week."}


def _find(app, user, text, **filters):
    with app.test_request_context("/search/"):
        login_user(user)
        found = queries.search(user, text, queries.Filters(**filters), per_page=200)
        return found


def _titles(app, user, text, **filters):
    return sorted(str(result.title).replace("<mark>", "").replace("</mark>", "")
                  for result in _find(app, user, text, **filters).results)


@pytest.fixture
def world(app):
    s = make_scenario()
    s.relay = make_entry(s.author, cohort=s.cohort, privacy="developers", title="Relay practice",
                         sections=_sections("Our relay changeover was late on the second leg."))
    s.peers_entry = make_entry(s.author, cohort=s.cohort, privacy="peers", title="Hurdle rhythm",
                               sections=_sections("Three-stride rhythm and changeovers of lead leg."))
    s.private = make_entry(s.author, cohort=s.cohort, privacy="private", title="Private doubts",
                           sections=_sections("A changeover worry and my zebra notebook."))
    s.cohort_entry = make_entry(s.peer, cohort=s.cohort, privacy="cohort", title="Open session",
                                sections=_sections("Cohort-wide changeover drills."))
    s.other = make_entry(s.other_candidate, cohort=s.other_cohort, privacy="developers",
                         title="Other cohort relay", sections=_sections("A changeover elsewhere."))
    db.session.commit()
    return s


def test_stemming_finds_changeovers_from_changeover_and_back(app, world):
    assert "Hurdle rhythm" in _titles(app, world.author, "changeover")
    assert "Relay practice" in _titles(app, world.author, "changeovers")


def test_each_role_finds_exactly_what_it_may_read(app, world):
    everything = {"Relay practice", "Hurdle rhythm", "Private doubts", "Open session"}
    assert set(_titles(app, world.author, "changeover")) == everything
    assert set(_titles(app, world.developer, "changeover")) == {
        "Relay practice", "Hurdle rhythm", "Open session"}
    assert set(_titles(app, world.peer, "changeover")) == {"Hurdle rhythm", "Open session"}
    assert set(_titles(app, world.outsider, "changeover")) == {"Open session"}
    assert set(_titles(app, world.other_developer, "changeover")) == {"Other cohort relay"}
    assert set(_titles(app, world.lead, "changeover")) == {
        "Relay practice", "Hurdle rhythm", "Open session", "Other cohort relay"}
    assert _titles(app, world.stranger, "changeover") == []


def test_hidden_text_reaches_no_count_and_no_snippet(app, world):
    found = _find(app, world.peer, "zebra")
    assert found.total == 0 and found.results == []
    found = _find(app, world.peer, "changeover")
    assert found.total == len(found.results) == 2
    assert all("zebra" not in str(result.snippet) for result in found.results)


def test_earlier_and_later_cohort_coach_developers_do_not_cross(app, world):
    old_year = make_year(status="closed", starts_on=world.year.starts_on - timedelta(days=365))
    old_cohort = make_cohort(year=old_year, framework=world.framework, name="Talent 2025")
    old_developer = make_user(name="Last Year Developer")
    add_member(old_cohort, old_developer, role="coach_developer")
    add_member(old_cohort, world.author, developer=old_developer)
    make_entry(world.author, cohort=old_cohort, privacy="developers", title="Last year relay",
               sections=_sections("Changeover marks from last season."))
    later_year = make_year(status="planning", starts_on=world.year.starts_on + timedelta(days=365))
    later_cohort = make_cohort(year=later_year, framework=world.framework, name="Talent 2027")
    later_developer = make_user(name="Next Year Developer")
    add_member(later_cohort, later_developer, role="coach_developer")
    db.session.commit()
    assert _titles(app, old_developer, "changeover") == ["Last year relay"]
    assert _titles(app, later_developer, "changeover") == []
    assert "Last year relay" not in _titles(app, world.developer, "changeover")


def test_only_saved_versions_are_found_never_the_working_copy(app, world):
    world.relay.sections = _sections("Unsaved words about a javelin approach.")
    db.session.commit()
    assert _titles(app, world.developer, "javelin") == []
    assert _titles(app, world.author, "javelin") == []
    add_version(world.relay)
    db.session.commit()
    assert _titles(app, world.developer, "javelin") == ["Relay practice"]
    assert _titles(app, world.developer, "late second leg") == []  # the old text has gone


def test_comments_follow_their_entry_and_leave_when_removed(app, world):
    comment = services.add_comment(world.relay, world.developer, "Check the checkmark distance.")
    db.session.commit()
    assert [r.kind for r in _find(app, world.author, "checkmark").results] == ["comment"]
    assert _find(app, world.peer, "checkmark").total == 0  # the entry is for developers only
    result = _find(app, world.developer, "checkmark").results[0]
    assert result.entry_title == "Relay practice" and "<mark>checkmark</mark>" in result.snippet
    services.remove_comment(comment, world.developer)
    db.session.commit()
    assert _find(app, world.developer, "checkmark").total == 0


def test_evidence_goals_and_philosophy_by_their_own_rules(app, world):
    evidence = make_link_evidence(world.author, title="Sled towing video")
    create_goal(world.author, GoalData(title="Improve sled work", privacy="peers"))
    create_goal(world.author, GoalData(title="Private sled plan", privacy="private"))
    save_statement(world.author, body="Athletes own their sled sessions.", privacy="developers")
    db.session.commit()
    mine = {result.kind for result in _find(app, world.author, "sled").results}
    assert mine == {"evidence", "goal", "philosophy"}
    assert len(_find(app, world.author, "sled").results) == 4
    developer = _find(app, world.developer, "sled").results
    assert sorted(r.kind for r in developer) == ["goal", "philosophy"]  # evidence not shared
    assert [r.kind for r in _find(app, world.peer, "sled").results] == ["goal"]
    assert _find(app, world.other_developer, "sled").total == 0
    # Evidence becomes findable once a saved version the reader may read lists it.
    entry = make_entry(world.author, cohort=world.cohort, privacy="developers",
                       title="Sled session", evidence=[evidence])
    db.session.commit()
    assert "evidence" in {r.kind for r in _find(app, world.developer, "towing").results}
    assert entry.id


def test_filters_narrow_by_kind_candidate_cohort_competency_and_date(app, world):
    assert _titles(app, world.lead, "changeover", cohort_id=world.other_cohort.id) == [
        "Other cohort relay"]
    assert set(_titles(app, world.lead, "changeover", candidate_id=world.peer.id)) == {
        "Open session"}
    assert _find(app, world.lead, "changeover", kind="goal").total == 0
    assert _find(app, world.lead, "changeover", date_from=date(2026, 10, 2)).total == 0
    assert _find(app, world.lead, "changeover", date_to=date(2026, 10, 1)).total == 4
    from tests.factories import competency

    claimed = make_entry(world.author, cohort=world.cohort, privacy="developers",
                         title="Claimed relay", competencies=[competency(world.framework, "VP1")],
                         sections=_sections("Changeover with a claim."))
    db.session.commit()
    assert _titles(app, world.developer, "changeover", competency_code="VP1") == [
        "Claimed relay"]
    assert claimed.id


@pytest.mark.parametrize("hostile", [
    '"', '""', "relay OR", "NEAR(relay changeover)", "relay*", "-relay", "title:relay",
    "relay AND NOT", "^relay", "(((", "🏃 relay", "' OR 1=1 --", "\x02relay\x03", "a" * 5000,
])
def test_hostile_queries_never_fail_and_never_widen(app, world, hostile):
    found = _find(app, world.peer, hostile)  # no error, whatever the engine's syntax
    assert set(_titles(app, world.peer, hostile)) <= {"Hurdle rhythm", "Open session"}
    assert found.total == len(found.results)
    assert all("zebra" not in str(r.snippet) for r in found.results)


def test_snippets_escape_what_people_wrote(app, world):
    make_entry(world.peer, cohort=world.cohort, privacy="cohort", title="<script>x</script>",
               sections=_sections("<img src=x onerror=alert(1)> changeover escape"))
    db.session.commit()
    for result in _find(app, world.outsider, "escape").results:
        assert "<script>" not in result.title and "<img" not in result.snippet


def test_largest_text_is_indexed_and_searched_in_bounded_time(app, world):
    words = " ".join(f"word{n}" for n in range(20_000))
    make_entry(world.peer, cohort=world.cohort, privacy="cohort", title="Long",
               sections=_sections(words + " needle"))
    db.session.commit()
    started = time.monotonic()
    assert _titles(app, world.outsider, "needle") == ["Long"]
    assert time.monotonic() - started < 10  # generous: a bound, not a benchmark


def test_rebuild_equals_the_incremental_index(app, world):
    services.add_comment(world.relay, world.developer, "Reply about baton exchange.")
    create_goal(world.author, GoalData(title="Baton goal"))
    db.session.commit()

    def rows():
        return sorted((d.kind, d.ref_id, d.owner_id, d.entry_id, d.title, d.body, d.happened_on)
                      for d in db.session.scalars(db.select(SearchDocument)))

    incremental = rows()
    rebuild_index()
    db.session.commit()
    assert rows() == incremental


def test_erasure_removes_the_persons_text_from_search(app, world):
    from portfolio.privacy.erasure import erase_person

    services.add_comment(world.cohort_entry, world.author, "Baton marks by Aisha.")
    db.session.commit()
    erase_person(world.admin, world.author)
    db.session.commit()
    assert _find(app, world.lead, "Aisha").total == 0
    assert _find(app, world.lead, "relay changeover late").total == 0


def test_search_page_shows_results_and_keeps_filters_in_links(app, client, world):
    sign_in(client, world.developer)
    page = client.get("/search/?q=changeovers").get_data(as_text=True)
    assert "3 results for “changeovers”" in page
    assert "<mark>" in page and "Private doubts" not in page
    assert client.get("/search/?q=changeover&cohort=999999&candidate=abc&kind=zzz"
                      ).status_code == 200
    assert client.get("/search/").status_code == 200
    anonymous = app.test_client().get("/search/?q=relay")
    assert anonymous.status_code == 302 and "/account/login" in anonymous.location


def test_a_very_common_word_is_counted_up_to_the_cap_and_said_so(app, client, world,
                                                                   monkeypatch):
    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    found = _find(app, world.lead, "changeover")
    assert found.more and found.total == 2 and found.pages == 1
    sign_in(client, world.lead)
    page = client.get("/search/?q=changeover").get_data(as_text=True)
    assert "More than 2 results for “changeover”" in page
    assert "ranked among the newest 2" in page
    # Beyond the cap, the newest readable matches are the ones ranked and shown.
    monkeypatch.setattr(queries, "COUNT_CAP", 1000)
    every = sorted(result.doc_id for result in _find(app, world.lead, "changeover").results)
    assert len(every) > 2
    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    assert sorted(result.doc_id for result in found.results) == every[-2:]
