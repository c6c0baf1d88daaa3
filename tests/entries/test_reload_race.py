"""A reloaded editor and its own unload autosave never conflict; two real tabs still do.

The rule: a save based on an older lock_version is accepted, without a write, when it
carries exactly what the working copy already holds (it overwrites nothing). Any save
that would change what another save left gets the 409 with its text.
"""

from portfolio.entries.models import Entry, PhilosophyStatement
from portfolio.extensions import db
from tests.entries.builders import form_fields, make_statement
from tests.factories import make_entry
from tests.live import together

TEXT = "The relay changeover needs a check mark at 25 m."


def stored(entry_id):
    db.session.expire_all()
    return db.session.get(Entry, entry_id)


def test_kept_text_put_back_after_its_own_autosave_landed_is_saved_not_a_conflict(
        client_for, world):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    page_lock = entry.lock_version  # what the reloaded page shows
    browser = client_for(world.author)
    autosave = f"/portfolio/entries/{entry.id}/autosave"
    unload = browser.post(autosave, data=form_fields(entry, action="draft",
                                                     sections={"what": TEXT}))
    assert unload.status_code == 200  # the old page's autosave lands after the reload

    put_back = browser.post(autosave, data=form_fields(
        entry, action="draft", sections={"what": TEXT}, lock_version=str(page_lock)))

    assert put_back.status_code == 200, put_back.get_json()
    assert put_back.get_json()["lock_version"] == unload.get_json()["lock_version"]
    assert stored(entry.id).sections["what"] == TEXT


def test_a_stale_save_that_changes_something_is_still_a_conflict(client_for, world):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    old_lock = str(entry.lock_version)
    browser = client_for(world.author)
    autosave = f"/portfolio/entries/{entry.id}/autosave"
    assert browser.post(autosave, data=form_fields(
        entry, action="draft", sections={"what": TEXT})).status_code == 200

    other_tab = browser.post(autosave, data=form_fields(
        entry, action="draft", sections={"what": "Another tab's words."}, lock_version=old_lock))

    assert other_tab.status_code == 409
    assert stored(entry.id).sections["what"] == TEXT


def test_full_save_repeating_the_current_text_on_an_old_lock_saves_a_version(client_for, world):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    old_lock = str(entry.lock_version)
    browser = client_for(world.author)
    browser.post(f"/portfolio/entries/{entry.id}/autosave",
                 data=form_fields(entry, action="draft", sections={"what": TEXT}))

    answer = browser.post(f"/portfolio/entries/{entry.id}/edit", data=form_fields(
        entry, action="save", sections={"what": TEXT}, lock_version=old_lock))

    assert answer.status_code == 302
    assert stored(entry.id).latest_version_number == 2


def test_reloaded_page_and_its_unload_autosave_arriving_together_both_succeed(live_site, world):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    fields = form_fields(entry, action="draft", sections={"what": TEXT})
    browsers = [live_site.browser_for(world.author) for _ in range(2)]
    autosave = f"/portfolio/entries/{entry.id}/autosave"

    answers = together(2, lambda n: browsers[n].post(autosave, fields))

    assert [a.status for a in answers] == [200, 200], [(a.status, a.text[:200]) for a in answers]
    assert stored(entry.id).sections["what"] == TEXT


def test_philosophy_repeat_on_an_old_lock_is_no_conflict_but_a_change_is(client_for, world):
    statement = make_statement(world.author, body="Athletes first.")
    db.session.commit()
    old_lock = str(statement.lock_version)
    browser = client_for(world.author)
    body = "Athletes first, always."
    first = browser.post("/portfolio/philosophy/autosave", data={
        "body": body, "privacy": statement.privacy, "lock_version": old_lock})
    assert first.status_code == 200

    repeat = browser.post("/portfolio/philosophy/autosave", data={
        "body": body, "privacy": statement.privacy, "lock_version": old_lock})
    change = browser.post("/portfolio/philosophy/autosave", data={
        "body": "Something else.", "privacy": statement.privacy, "lock_version": old_lock})

    assert repeat.status_code == 200
    assert change.status_code == 409
    db.session.expire_all()
    assert db.session.get(PhilosophyStatement, statement.id).body == body
