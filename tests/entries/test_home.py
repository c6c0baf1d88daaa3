"""The portfolio home: my entries with filters, coverage, goals and recent feedback."""

import re
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event

from portfolio.entries.services import mark_review_status
from portfolio.extensions import db
from portfolio.reviews.models import Comment
from tests.entries.builders import make_goal, make_statement
from tests.factories import add_version, competency, make_entry


@contextmanager
def counting_statements():
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def titles(page):
    return [line.split(">")[1].split("<")[0] for line in page.split('class="entry-list__title"><a ')[1:]]


def test_candidates_land_on_their_portfolio(world, client_for):
    response = client_for(world.author).get("/home")
    assert response.status_code == 302 and response.headers["Location"].endswith("/portfolio/")
    page = client_for(world.author).get("/portfolio/").get_data(as_text=True)
    assert ">My portfolio</a>" in page  # the navigation item
    lead_page = client_for(world.lead).get("/portfolio/").get_data(as_text=True)
    assert ">My portfolio</a>" not in lead_page and "not a candidate" in lead_page


def test_home_lists_only_my_entries_newest_practice_first(world, client_for):
    make_entry(world.author, cohort=world.cohort, title="Older session").practice_date = date(2026, 9, 1)
    make_entry(world.author, cohort=world.cohort, title="Newer session").practice_date = date(2026, 11, 1)
    make_entry(world.peer, cohort=world.cohort, title="Peer's own entry", privacy="cohort")
    db.session.commit()
    page = client_for(world.author).get("/portfolio/").get_data(as_text=True)
    assert titles(page) == ["Newer session", "Older session"]


def test_filters_by_competency_model_status_and_dates(world, client_for):
    vp1 = competency(world.framework, "VP1")
    claimed = make_entry(world.author, cohort=world.cohort, title="Claims VP1", competencies=[vp1])
    claimed.practice_date = date(2026, 9, 15)
    gibbs = make_entry(world.author, cohort=world.cohort, title="Gibbs one", reflection_model="gibbs",
                       sections={"gibbs_description": "x"})
    gibbs.practice_date = date(2026, 10, 20)
    draft = make_entry(world.author, cohort=world.cohort, title="Still a draft", published=False)
    draft.practice_date = date(2026, 11, 2)
    submitted = make_entry(world.author, cohort=world.cohort, title="Under review")
    submitted.practice_date = date(2026, 11, 5)
    mark_review_status(submitted, "submitted", world.author)
    db.session.commit()
    client = client_for(world.author)

    def listed(query):
        return titles(client.get("/portfolio/?" + query).get_data(as_text=True))

    assert listed(f"competency={vp1.id}") == ["Claims VP1"]
    assert listed("model=gibbs") == ["Gibbs one"]
    assert listed("status=draft") == ["Still a draft"]
    assert listed("status=submitted") == ["Under review"]
    assert set(listed("status=published")) == {"Claims VP1", "Gibbs one"}
    assert listed("date_from=2026-10-01&date_to=2026-11-03") == ["Still a draft", "Gibbs one"]
    assert len(listed("date_from=not-a-date")) == 4  # a bad date is ignored, not a 500


def test_entries_are_paginated_with_filters_kept(app, world, client_for):
    app.config["ITEMS_PER_PAGE"] = 2
    for number in range(5):
        make_entry(world.author, cohort=world.cohort, title=f"Entry {number}",
                   reflection_model="free", sections={"free_text": "x"})
    db.session.commit()
    client = client_for(world.author)
    first = client.get("/portfolio/?model=free").get_data(as_text=True)
    assert len(titles(first)) == 2 and "Page 1 of 3" in first
    assert "model=free" in first.split('rel="next" href="')[1].split('"')[0]
    assert len(titles(client.get("/portfolio/?model=free&page=3").get_data(as_text=True))) == 1


def test_coverage_shows_each_competency_state_in_words_and_symbols(world, client_for):
    vp1 = competency(world.framework, "VP1")
    make_entry(world.author, cohort=world.cohort, competencies=[vp1])
    db.session.commit()
    page = client_for(world.author).get("/portfolio/").get_data(as_text=True)
    coverage = page.split('id="coverage-title"')[1].split("</section>")[0]
    vp1_row = coverage.split("Competency VP1")[1].split("</li>")[0]
    assert "Claimed" in vp1_row and "coverage-state--claimed" not in vp1_row
    assert "coverage-state--claimed" in coverage.split("Competency VP1")[0].rsplit("<li", 1)[1]
    rp1_row = coverage.split("Competency RP1")[1].split("</li>")[0]
    assert "Not started" in rp1_row
    assert "Vision &amp; planning" in coverage and "Reflective practice" in coverage


def test_home_shows_goals_philosophy_and_recent_feedback(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, title="Relay night")
    make_goal(world.author, title="Learn to plan a taper")
    make_statement(world.author)
    db.session.add(Comment(entry_id=entry.id, author_id=world.developer.id,
                           body="Great **detail** on the changeover.", version_number=1))
    db.session.add(Comment(entry_id=entry.id, author_id=world.author.id, body="My own reply"))
    db.session.commit()
    page = client_for(world.author).get("/portfolio/").get_data(as_text=True)
    assert "Learn to plan a taper" in page and "Saved as version 1" in page
    feedback = page.split('id="feedback-title"')[1].split("</section>")[0]
    assert "Dev Eloper" in feedback and "Great detail on the changeover." in feedback
    assert "Relay night" in feedback and "My own reply" not in feedback


def _card(page: str, title_id: str) -> str:
    return page.split(f'id="{title_id}"')[1].split("</section>")[0]


def test_home_lists_three_open_goals_soonest_first_and_counts_them_all(world, client_for):
    for title, due, status in [("Taper plan", date(2027, 3, 1), "in_progress"),
                               ("Relay drills", date(2027, 1, 10), "not_started"),
                               ("Video review", None, "in_progress"),
                               ("Hurdle rhythm", date(2027, 2, 1), "in_progress"),
                               ("Old goal", date(2026, 1, 1), "achieved"),
                               ("Dropped goal", date(2026, 2, 1), "dropped")]:
        goal = make_goal(world.author, title=title, status=status)
        goal.target_date = due
    db.session.commit()
    card = _card(client_for(world.author).get("/portfolio/").get_data(as_text=True),
                 "goals-title")
    listed = re.findall(r'<li><a href="/portfolio/goals/\d+">([^<]+)</a>', card)
    assert listed == ["Relay drills", "Hurdle rhythm", "Taper plan"]
    assert "Not started · by" in card and "Old goal" not in card and "Video review" not in card
    assert "All goals (6)" in card


def test_home_philosophy_card_says_draft_saved_or_missing(world, client_for):
    client = client_for(world.author)
    card = _card(client.get("/portfolio/").get_data(as_text=True), "philosophy-title")
    assert "Write your coaching philosophy" in card

    statement = make_statement(world.author, body="Athletes first, always.", versions=0)
    db.session.commit()
    card = _card(client.get("/portfolio/").get_data(as_text=True), "philosophy-title")
    assert "You have a draft that is not saved yet." in card
    assert "Read or edit your coaching philosophy" in card

    statement.latest_version_number = 2
    db.session.commit()
    card = _card(client.get("/portfolio/").get_data(as_text=True), "philosophy-title")
    assert "Saved as version 2" in card and "draft last edited" not in card

    statement.body = ""
    db.session.commit()
    card = _card(client.get("/portfolio/").get_data(as_text=True), "philosophy-title")
    assert "Write your coaching philosophy" in card


def test_home_page_statement_count_does_not_grow_with_entries(world, client_for):
    vp1, rp1 = competency(world.framework, "VP1"), competency(world.framework, "RP1")
    client = client_for(world.author)

    def statements_for_home():
        db.session.commit()
        with counting_statements() as statements:
            assert client.get("/portfolio/").status_code == 200
        return len(statements)

    make_entry(world.author, cohort=world.cohort, competencies=[vp1])
    make_goal(world.author)
    few = statements_for_home()
    for number in range(12):
        entry = make_entry(world.author, cohort=world.cohort, competencies=[vp1, rp1],
                           title=f"Entry {number}")
        db.session.add(Comment(entry_id=entry.id, author_id=world.peer.id, body="Nice"))
        make_goal(world.author, title=f"Goal {number}")
    assert statements_for_home() == few


def test_someone_elses_portfolio_shows_only_what_their_tiers_allow(world, client_for):
    make_entry(world.author, cohort=world.cohort, privacy="cohort", title="For the cohort")
    make_entry(world.author, cohort=world.cohort, privacy="peers", title="For my peers")
    make_entry(world.author, cohort=world.cohort, privacy="private", title="Just for me")
    make_entry(world.author, cohort=world.cohort, privacy="cohort", title="Unsaved", published=False)
    make_statement(world.author, body="Peers see this statement", privacy="peers")
    make_goal(world.author, title="Developers see this goal", privacy="developers")
    db.session.commit()
    url = f"/portfolio/candidates/{world.author.id}"
    outsider = client_for(world.outsider).get(url).get_data(as_text=True)
    assert "For the cohort" in outsider and "For my peers" not in outsider
    assert "Peers see this statement" not in outsider and "Developers see this goal" not in outsider
    peer = client_for(world.peer).get(url).get_data(as_text=True)
    assert "For my peers" in peer and "Peers see this statement" in peer
    developer = client_for(world.developer).get(url).get_data(as_text=True)
    assert "Developers see this goal" in developer
    for page in (outsider, peer, developer):
        assert "Just for me" not in page and "Unsaved" not in page
    assert client_for(world.other_developer).get(url).status_code == 404


def test_history_and_overview_pages_do_not_grow_with_the_data(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, privacy="peers")
    make_goal(world.author, privacy="developers")
    db.session.commit()
    client = client_for(world.developer)

    def statements_for(path):
        db.session.commit()
        with counting_statements() as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    history = f"/portfolio/entries/{entry.id}/versions"
    overview = f"/portfolio/candidates/{world.author.id}"
    before = (statements_for(history), statements_for(overview))
    for number in range(10):
        entry.sections = {"what": f"Rewrite {number}"}
        add_version(entry)
        make_entry(world.author, cohort=world.cohort, privacy="developers", title=f"E{number}")
        make_goal(world.author, title=f"Goal {number}", privacy="developers")
    assert (statements_for(history), statements_for(overview)) == before


def test_the_lists_read_plain_rows_with_their_chips_in_framework_order(app, world):
    """The home and candidate lists read columns, not entries: nothing on them is written, and
    loading entities (with their claims and tags) cost more than the page took otherwise."""
    from portfolio.entries.models import Entry
    from portfolio.entries.queries import EntryListRow, my_entries, shared_entries

    claimed = make_entry(world.author, cohort=world.cohort, title="Relay changeovers",
                         privacy="developers",
                         competencies=[competency(world.framework, code)
                                       for code in ("RP1", "VP2", "VP1")])
    make_entry(world.author, cohort=world.cohort, title="Untitled draft", published=False,
               privacy="private").title = ""
    db.session.commit()
    page = my_entries(world.author.id, {}, 1, 25)
    assert page.total == 2 and all(type(item) is EntryListRow for item in page.items)
    assert not any(isinstance(item, Entry) for item in page.items)
    row = next(item for item in page.items if item.id == claimed.id)
    assert [chip.code for chip in row.chips] == ["VP1", "VP2", "RP1"]
    assert row.privacy_label and not row.is_private and row.latest_version_number == 1
    draft = next(item for item in page.items if item.id != claimed.id)
    assert draft.display_title == "Untitled entry" and draft.is_private
    shown = shared_entries(world.developer, world.author.id, 1, 25)
    assert [item.id for item in shown.items] == [claimed.id]  # never the private draft


def test_the_unfiltered_list_pages_each_candidate_through_their_own_entries(app, world,
                                                                             client_for):
    app.config["ITEMS_PER_PAGE"] = 2
    for number in range(3):
        entry = make_entry(world.author, cohort=world.cohort, title=f"Mine {number}")
        entry.practice_date = date(2026, 10, 1 + number)
        make_entry(world.peer, cohort=world.cohort, title=f"Theirs {number}", privacy="cohort")
    db.session.commit()
    author, peer = client_for(world.author), client_for(world.peer)
    first = author.get("/portfolio/").get_data(as_text=True)
    assert titles(first) == ["Mine 2", "Mine 1"] and "Page 1 of 2" in first
    assert titles(author.get("/portfolio/?page=2").get_data(as_text=True)) == ["Mine 0"]
    past_the_end = author.get("/portfolio/?page=7").get_data(as_text=True)
    assert titles(past_the_end) == []
    assert titles(peer.get("/portfolio/").get_data(as_text=True)) == ["Theirs 2", "Theirs 1"]
