"""The coaching philosophy statement (versioned, autosaved) and development goals."""

from sqlalchemy import select

from portfolio.entries.models import Goal, PhilosophyStatement
from portfolio.entries.philosophy import latest_statement_version
from portfolio.extensions import db
from tests.entries.builders import make_goal, make_statement
from tests.factories import competency, make_framework, make_year


def statement_of(user):
    db.session.expire_all()
    return db.session.scalar(select(PhilosophyStatement).where(
        PhilosophyStatement.owner_id == user.id))


def test_the_statement_page_asks_the_question(world, client_for):
    page = client_for(world.author).get("/portfolio/philosophy").get_data(as_text=True)
    assert "What good coaching looks like for me, and why" in page
    assert 'data-autosave-url="/portfolio/philosophy/autosave"' in page


def test_each_save_makes_a_version_and_autosave_only_the_draft(world, client_for):
    client = client_for(world.author)
    client.post("/portfolio/philosophy", data={"body": "Athletes first.", "privacy": "peers",
                                               "action": "save"})
    client.post("/portfolio/philosophy/autosave", data={
        "body": "Athletes first, always.", "privacy": "peers",
        "lock_version": str(statement_of(world.author).lock_version)})
    statement = statement_of(world.author)
    assert statement.body == "Athletes first, always." and statement.latest_version_number == 1
    peer_view = client_for(world.peer).get(f"/portfolio/candidates/{world.author.id}")
    assert "Athletes first." in peer_view.get_data(as_text=True)
    assert "always" not in peer_view.get_data(as_text=True)
    client.post("/portfolio/philosophy", data={"body": "Athletes first, always.",
                                               "privacy": "peers", "action": "save"})
    assert statement_of(world.author).latest_version_number == 2
    compare = client.get("/portfolio/philosophy/compare/1/2").get_data(as_text=True)
    assert "always<span" in compare.split("<div class=\"diff\">")[1].split("<ins>")[1]


def test_autosave_never_widens_who_can_read_the_statement(world, client_for):
    make_statement(world.author, privacy="developers")
    db.session.commit()
    client_for(world.author).post("/portfolio/philosophy/autosave", data={
        "body": "Athletes first.", "privacy": "cohort"})
    assert statement_of(world.author).privacy == "developers"
    client_for(world.author).post("/portfolio/philosophy/autosave", data={
        "body": "Athletes first.", "privacy": "private"})
    assert statement_of(world.author).privacy == "private"


def test_a_stale_statement_save_gets_a_conflict_page_with_the_text(world, client_for):
    statement = make_statement(world.author)
    db.session.commit()
    stale_lock = str(statement.lock_version)
    client = client_for(world.author)
    client.post("/portfolio/philosophy", data={"body": "Newer text", "privacy": "developers",
                                               "action": "draft", "lock_version": stale_lock})
    response = client.post("/portfolio/philosophy", data={
        "body": "My careful older rewrite", "privacy": "developers", "action": "save",
        "lock_version": stale_lock})
    assert response.status_code == 409
    assert "My careful older rewrite" in response.get_data(as_text=True)
    assert statement_of(world.author).body == "Newer text"


def test_restoring_a_statement_version(world, client_for):
    client = client_for(world.author)
    for body in ("First thoughts.", "Second thoughts."):
        client.post("/portfolio/philosophy", data={"body": body, "privacy": "developers",
                                                   "action": "save"})
    client.post("/portfolio/philosophy/versions/1/restore")
    statement = statement_of(world.author)
    assert statement.body == "First thoughts." and statement.latest_version_number == 3
    assert latest_statement_version(statement).body == "First thoughts."


def test_over_long_statement_keeps_the_text(world, client_for):
    too_long = "Why I coach. " * 8000
    response = client_for(world.author).post("/portfolio/philosophy", data={
        "body": too_long, "privacy": "developers", "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "over the limit of 100,000" in page
    assert too_long.strip() in page
    assert statement_of(world.author) is None


def test_adding_a_goal_with_competencies_and_notes(world, client_for):
    vp1 = competency(world.framework, "VP1")
    client = client_for(world.author)
    response = client.post("/portfolio/goals/new", data={
        "title": "Plan a four-week block", "description": "Towards the indoor season.",
        "target_date": "2027-01-15", "status": "in_progress", "privacy": "developers",
        "competencies": [str(vp1.id)]})
    goal = db.session.scalar(select(Goal).where(Goal.owner_id == world.author.id))
    assert response.headers["Location"].endswith(f"/portfolio/goals/{goal.id}")
    assert [item.code for item in goal.competencies] == ["VP1"]
    client.post(f"/portfolio/goals/{goal.id}/notes", data={"body": "Drafted week one."})
    page = client.get(f"/portfolio/goals/{goal.id}").get_data(as_text=True)
    assert "Drafted week one." in page and "VP1" in page and "15 Jan 2027" in page


def test_goal_form_errors_keep_the_rest(world, client_for):
    foreign = make_framework(areas=[("Other", [("ZZ1", 1, 0)])])
    db.session.commit()
    response = client_for(world.author).post("/portfolio/goals/new", data={
        "title": "", "description": "Keep this description", "status": "not_started",
        "privacy": "developers", "competencies": [str(competency(foreign, "ZZ1").id)]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Keep this description" in page
    assert "Enter the goal." in page and 'href="#title"' in page
    assert db.session.scalar(select(Goal.id)) is None


def test_goals_are_shown_per_their_privacy_tier(world, client_for):
    goal = make_goal(world.author, privacy="developers")
    db.session.commit()
    assert client_for(world.developer).get(f"/portfolio/goals/{goal.id}").status_code == 200
    assert client_for(world.peer).get(f"/portfolio/goals/{goal.id}").status_code == 404
    assert client_for(world.developer).post(f"/portfolio/goals/{goal.id}/notes", data={
        "body": "Sneaky"}).status_code == 404


def test_archived_year_goals_and_statement_are_read_only(world, client_for):
    goal = make_goal(world.author)
    world.cohort.year_id = make_year(status="archived").id
    db.session.commit()
    client = client_for(world.author)
    assert client.get("/portfolio/goals/new").status_code == 403
    response = client.post(f"/portfolio/goals/{goal.id}/notes", data={"body": "Late"})
    assert "archived" in response.get_data(as_text=True)
    assert client.get("/portfolio/philosophy").status_code == 403  # never wrote one
    make_statement(world.author, body="Written last year")
    db.session.commit()
    page = client.get("/portfolio/philosophy").get_data(as_text=True)
    assert "read-only" in page and "Written last year" in page


def test_a_goal_edited_in_a_stale_tab_gets_a_conflict_page_with_its_text(world, client_for):
    import re

    goal = make_goal(world.author)
    db.session.commit()
    client, edit = client_for(world.author), f"/portfolio/goals/{goal.id}/edit"
    form = {"title": "Plan an indoor block", "status": "in_progress", "privacy": "developers",
            "lock_version": str(goal.lock_version)}
    assert client.post(edit, data={**form, "description": "From my phone"}).status_code == 302
    stale = {**form, "description": "From the laptop, written at length"}
    response = client.post(edit, data=stale)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "changed somewhere else" in page and "From the laptop, written at length" in page
    db.session.expire_all()
    assert db.session.get(Goal, goal.id).description == "From my phone"
    current = re.search(r'name="lock_version"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="lock_version"', page)
    assert client.post(edit, data={**stale, "lock_version": current.group(1)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Goal, goal.id).description == "From the laptop, written at length"


def test_one_add_goal_form_adds_once_but_changed_text_from_it_adds_again(world, client_for):
    from sqlalchemy import func

    client = client_for(world.author)
    form = {"title": "Plan an indoor block", "status": "not_started", "privacy": "developers",
            "submission_key": "one-page-view"}
    assert client.post("/portfolio/goals/new", data=form).status_code == 302
    again = client.post("/portfolio/goals/new", data=form, follow_redirects=True)
    assert "This goal was already added." in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Goal.id))) == 1
    client.post("/portfolio/goals/new", data={**form, "title": "Race more 200s"})
    assert db.session.scalar(select(func.count(Goal.id))) == 2
