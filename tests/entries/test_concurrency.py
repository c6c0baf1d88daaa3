"""Several tabs saving one entry at the same moment, against a live threaded server.

One save wins; every other tab gets the 409 page (or 409 JSON for autosave) with its own text,
never a 500, and no text disappears without its writer being told.
"""

import time

import pytest

from portfolio.entries.models import Entry, PhilosophyStatement
from portfolio.extensions import db
from tests.entries.builders import form_fields, make_statement
from tests.factories import make_entry
from tests.live import hidden_value, together


def stored(entry_id):
    db.session.expire_all()
    return db.session.get(Entry, entry_id)


def tab_text(number: int, round_: int = 0) -> str:
    return f"Tab {number} round {round_}: the relay changeover needs a check mark."


def assert_no_server_error(answers):
    problems = [a if isinstance(a, Exception) else (a.status, a.text[:300])
                for a in answers if isinstance(a, Exception) or a.status >= 500]
    assert not problems, problems


@pytest.mark.parametrize("tabs", [2, 6])
@pytest.mark.parametrize("action", ["save", "draft"])
def test_tabs_saving_one_entry_at_once_one_wins_the_rest_keep_their_text(
        live_site, world, tabs, action):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    forms = [form_fields(entry, action=action, sections={"what": tab_text(n)})
             for n in range(tabs)]
    browsers = [live_site.browser_for(world.author) for _ in range(tabs)]
    edit = f"/portfolio/entries/{entry.id}/edit"

    answers = together(tabs, lambda n: browsers[n].post(edit, forms[n]))

    assert_no_server_error(answers)
    assert sorted(a.status for a in answers) == [302] + [409] * (tabs - 1), \
        [(a.status, a.text[:200]) for a in answers]
    winner = next(n for n, a in enumerate(answers) if a.status == 302)
    for number, answer in enumerate(answers):
        if answer.status == 409:
            assert tab_text(number) in answer.text  # the loser's own words, to copy or save
            assert "changed after you opened it" in answer.text
    saved = stored(entry.id)
    assert saved.sections["what"] == tab_text(winner)
    assert saved.latest_version_number == (2 if action == "save" else 1)


def test_four_tabs_autosaving_for_seconds_never_get_a_500_or_lose_text(live_site, world):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    tabs, seconds = 4, 4.0
    autosave = f"/portfolio/entries/{entry.id}/autosave"
    edit = f"/portfolio/entries/{entry.id}/edit"
    base, first_lock = form_fields(entry, action="draft"), str(entry.lock_version)
    browsers = [live_site.browser_for(world.author) for _ in range(tabs)]

    def tab(number):
        browser, lock = browsers[number], first_lock
        statuses, saved, returned, lost = [], [], [], []
        deadline, round_ = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            round_ += 1
            text = tab_text(number, round_)
            answer = browser.post(autosave, {**base, "section_what": text, "lock_version": lock})
            statuses.append(answer.status)
            if answer.status == 200:
                saved.append(text)
                lock = str(answer.json()["lock_version"])
                continue
            if answer.status != 409 or answer.json().get("error") != "conflict":
                lost.append(text)
                break
            # Autosave stops; the author presses Save draft and sees their text beside the news.
            page = browser.post(edit, {**base, "section_what": text, "lock_version": lock})
            statuses.append(page.status)
            if page.status == 409 and text in page.text:
                returned.append(text)
                lock = hidden_value(page.text, "lock_version")
            elif page.status == 302:
                saved.append(text)
                lock = hidden_value(browser.get(edit).text, "lock_version")
            else:
                lost.append(text)
                break
        return {"statuses": statuses, "saved": saved, "returned": returned, "lost": lost}

    results = together(tabs, tab)

    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = [status for result in results for status in result["statuses"]]
    assert set(statuses) <= {200, 302, 409}, sorted(set(statuses))
    assert [text for result in results for text in result["lost"]] == []
    assert statuses.count(200) >= tabs  # real work was done, not only refusals
    assert sum(len(result["returned"]) for result in results) >= 1  # the tabs did collide
    final = stored(entry.id).sections["what"]
    assert any(final in result["saved"] for result in results)


def test_two_tabs_saving_the_coaching_philosophy_at_once(live_site, world):
    statement = make_statement(world.author, body="Athletes first.")
    db.session.commit()
    lock = str(statement.lock_version)
    browsers = [live_site.browser_for(world.author) for _ in range(6)]
    bodies = [f"Tab {n}: athletes first, always." for n in range(6)]

    answers = together(6, lambda n: browsers[n].post("/portfolio/philosophy", {
        "body": bodies[n], "privacy": "developers", "lock_version": lock, "action": "save"}))

    assert_no_server_error(answers)
    statuses = sorted(a.status for a in answers)
    assert statuses.count(302) == 1 and statuses.count(409) == 5, statuses
    for number, answer in enumerate(answers):
        if answer.status == 409:
            assert bodies[number] in answer.text
    db.session.expire_all()
    body = db.session.get(PhilosophyStatement, statement.id).body
    assert body in bodies



def test_six_tabs_editing_one_goal_at_once(live_site, world):
    from portfolio.entries.models import Goal
    from tests.entries.builders import make_goal
    from tests.factories import competency

    goal = make_goal(world.author)
    ids = [str(competency(world.framework, code).id) for code in ("VP1", "VP2", "RP1")]
    db.session.commit()
    browsers = [live_site.browser_for(world.author) for _ in range(6)]
    titles = [f"Tab {n}: plan an indoor block" for n in range(6)]
    edit, lock = f"/portfolio/goals/{goal.id}/edit", str(goal.lock_version)

    answers = together(6, lambda n: browsers[n].post(edit, {
        "title": titles[n], "status": "in_progress", "privacy": "developers",
        "competencies": ids[: n % 3 + 1], "description": f"Details from tab {n}",
        "lock_version": lock}))

    assert_no_server_error(answers)
    assert sorted(a.status for a in answers) == [302] + [409] * 5, \
        [(a.status, a.text[:200]) for a in answers]
    for number, answer in enumerate(answers):
        if answer.status == 409:
            assert titles[number] in answer.text and "changed somewhere else" in answer.text
    winner = next(n for n, a in enumerate(answers) if a.status == 302)
    db.session.expire_all()
    assert db.session.get(Goal, goal.id).title == titles[winner]


def test_add_goal_and_add_note_clicked_six_times_add_one_each(live_site, world):
    from sqlalchemy import func, select

    from portfolio.entries.models import Goal, GoalNote

    browsers = [live_site.browser_for(world.author) for _ in range(6)]
    key = hidden_value(browsers[0].get("/portfolio/goals/new").text, "submission_key")
    assert key

    answers = together(6, lambda n: browsers[n].post("/portfolio/goals/new", {
        "title": "Plan an indoor block", "status": "not_started", "privacy": "developers",
        "submission_key": key}))

    assert_no_server_error(answers)
    assert [a.status for a in answers] == [302] * 6
    db.session.expire_all()
    goal_id = db.session.scalar(select(Goal.id))
    assert db.session.scalar(select(func.count(Goal.id))) == 1
    page = browsers[0].get(f"/portfolio/goals/{goal_id}").text
    note_key = hidden_value(page, "submission_key")
    answers = together(6, lambda n: browsers[n].post(f"/portfolio/goals/{goal_id}/notes", {
        "body": "Drafted week one.", "submission_key": note_key}))
    assert_no_server_error(answers)
    assert [a.status for a in answers] == [302] * 6
    assert db.session.scalar(select(func.count(GoalNote.id))) == 1
