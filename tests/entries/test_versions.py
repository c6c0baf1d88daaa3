"""Saved versions never change; history, word-level differences and restore."""

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DatabaseError

from portfolio.entries import services
from portfolio.entries.diff import word_diff
from portfolio.entries.models import Entry, EntryVersion
from portfolio.errors import DomainError
from portfolio.extensions import db
from tests.entries.builders import form_fields
from tests.factories import add_version, make_entry


def fresh(entry):
    db.session.expire_all()
    return db.session.get(Entry, entry.id)


def test_a_saved_version_cannot_be_changed_through_the_orm(world):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    version = entry.versions[0]
    version.title = "Rewritten history"
    with pytest.raises(ValueError, match="immutable"):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("column, value", [
    ("title", "'Rewritten'"), ("content_hash", "'0000'"), ("number", "7"),
    ("content", "'{}'"),
])
def test_the_database_refuses_to_change_a_saved_version(world, column, value):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    with pytest.raises(DatabaseError):
        db.session.execute(text(f"UPDATE entry_versions SET {column} = {value} "
                                "WHERE entry_id = :id"), {"id": entry.id})
    db.session.rollback()
    with pytest.raises(DatabaseError):
        db.session.execute(update(EntryVersion).where(EntryVersion.entry_id == entry.id)
                           .values(title="Bulk rewrite"))
    db.session.rollback()
    assert fresh(entry).versions[0].title == "Session reflection"


def test_editing_after_a_save_never_alters_the_saved_version(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    first = entry.versions[0]
    before = (first.content_hash, dict(first.content))
    client_for(world.author).post(f"/portfolio/entries/{entry.id}/edit", data=form_fields(
        entry, sections={"what": "A different account of the session."}))
    db.session.expire_all()
    first = db.session.get(EntryVersion, first.id)
    assert (first.content_hash, first.content) == before
    assert fresh(entry).latest_version_number == 2


def test_saving_without_changes_makes_no_new_version(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    client = client_for(world.author)
    client.post(f"/portfolio/entries/{entry.id}/edit", data=form_fields(entry, title="Renamed"))
    assert fresh(entry).latest_version_number == 2
    response = client.post(f"/portfolio/entries/{entry.id}/edit", data=form_fields(fresh(entry)),
                           follow_redirects=True)
    assert "Nothing has changed since version 2" in response.get_data(as_text=True)
    assert fresh(entry).latest_version_number == 2


def test_word_diff_marks_only_the_changed_words():
    pieces = word_diff("We worked on block starts today.\nSecond line stays.",
                       "We worked hard on relay starts today.\nSecond line stays.")
    changed = [(op, text.strip()) for op, text in pieces if op != "equal"]
    assert changed == [("insert", "hard"), ("delete", "block"), ("insert", "relay")]
    assert word_diff("Reaction was slow.", "Reaction was slow after long talks.") == [
        ("equal", "Reaction was slow"), ("insert", " after long talks"), ("equal", ".")]
    assert "".join(text for op, text in pieces if op != "insert") == (
        "We worked on block starts today.\nSecond line stays.")
    assert "".join(text for op, text in pieces if op != "delete") == (
        "We worked hard on relay starts today.\nSecond line stays.")


def test_word_diff_of_long_rewrites_stays_correct():
    old, new = "alpha " * 5000, "beta " * 5000
    pieces = word_diff(old, new)
    assert "".join(t for op, t in pieces if op != "insert") == old
    assert "".join(t for op, t in pieces if op != "delete") == new


def test_compare_page_shows_changes_with_user_text_escaped(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, privacy="peers")
    entry.sections = {**entry.sections, "what": "We worked on <script>alert(1)</script> starts."}
    entry.title = "Relay changeovers"
    add_version(entry)
    db.session.commit()
    page = client_for(world.peer).get(
        f"/portfolio/entries/{entry.id}/compare/1/2").get_data(as_text=True)
    assert "<ins><span class=\"visually-hidden\">[added: </span>&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "Relay changeovers" in page and "<del>" in page


def test_history_page_lists_versions_newest_first(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, privacy="peers")
    entry.title = "Second title"
    add_version(entry, note="Tidied up")
    db.session.commit()
    page = client_for(world.developer).get(
        f"/portfolio/entries/{entry.id}/versions").get_data(as_text=True)
    assert page.index("Version 2") < page.index("Version 1")
    assert "Tidied up" in page and "Restore" not in page  # readers cannot restore


def test_restore_makes_a_new_version_and_keeps_the_history(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort)
    entry.sections = {"what": "Second attempt"}
    add_version(entry)
    db.session.commit()
    response = client_for(world.author).post(
        f"/portfolio/entries/{entry.id}/versions/1/restore",
        data={"lock_version": str(fresh(entry).lock_version)})
    assert response.status_code == 302
    entry = fresh(entry)
    assert entry.latest_version_number == 3
    latest = services.latest_version(entry)
    assert latest.note == "Restored from version 1"
    assert latest.sections["what"] == "We worked on block starts."
    assert entry.sections["so_what"] == "Reaction was slow."
    assert [version.number for version in entry.versions] == [1, 2, 3]


def test_restore_first_keeps_unsaved_draft_text_as_a_version(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort)
    entry.sections = {**entry.sections, "what": "Second attempt"}
    add_version(entry)
    db.session.commit()
    client = client_for(world.author)
    client.post(f"/portfolio/entries/{entry.id}/autosave", data=form_fields(
        fresh(entry), sections={"what": "Unsaved but precious"}))
    client.post(f"/portfolio/entries/{entry.id}/versions/1/restore")
    entry = fresh(entry)
    kept = services.version_by_number(entry, 3)
    assert kept.sections["what"] == "Unsaved but precious"
    assert kept.note == "Draft kept before restoring version 1"
    assert services.latest_version(entry).note == "Restored from version 1"


def test_restore_with_a_stale_page_changes_nothing(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort)
    entry.sections = {"what": "Second attempt"}
    add_version(entry)
    db.session.commit()
    response = client_for(world.author).post(
        f"/portfolio/entries/{entry.id}/versions/1/restore", data={"lock_version": "1"},
        follow_redirects=True)
    assert "nothing was restored" in response.get_data(as_text=True)
    assert fresh(entry).latest_version_number == 2


def test_text_saved_as_only_me_never_reaches_readers_through_history(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, privacy="private",
                       sections={"what": "Private first thoughts"})
    entry.privacy = "cohort"
    entry.sections = {"what": "Shareable version"}
    add_version(entry)
    db.session.commit()
    outsider = client_for(world.outsider)
    assert "Shareable version" in outsider.get(f"/portfolio/entries/{entry.id}").get_data(
        as_text=True)
    assert outsider.get(f"/portfolio/entries/{entry.id}/versions/1").status_code == 404
    assert outsider.get(f"/portfolio/entries/{entry.id}/compare/1/2").status_code == 404
    history = outsider.get(f"/portfolio/entries/{entry.id}/versions").get_data(as_text=True)
    assert "Version 2" in history and "Version 1" not in history


def test_latest_version_and_review_status_services(world):
    entry = make_entry(world.author, cohort=world.cohort, privacy="peers")
    db.session.commit()
    assert services.latest_version(entry).number == 1
    lock = entry.lock_version
    services.mark_review_status(entry, "signed_off", world.developer)
    db.session.commit()
    assert fresh(entry).review_status == "signed_off" and fresh(entry).lock_version == lock
    with pytest.raises(DomainError):
        services.mark_review_status(entry, "approved", world.developer)
    private = make_entry(world.author, cohort=world.cohort, privacy="private")
    with pytest.raises(DomainError, match="cannot be submitted"):
        services.mark_review_status(private, "submitted", world.author)
    assert services.latest_version(make_entry(world.author, published=False)) is None


def test_an_entry_waiting_for_review_cannot_be_made_private(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, privacy="peers")
    services.mark_review_status(entry, "submitted", world.author)
    db.session.commit()
    response = client_for(world.author).post(f"/portfolio/entries/{entry.id}/edit",
                                             data=form_fields(fresh(entry), privacy="private"))
    assert "Withdraw the review request first" in response.get_data(as_text=True)
    assert fresh(entry).privacy == "peers"
    assert db.session.scalar(select(Entry.privacy).where(Entry.id == entry.id)) == "peers"


def test_a_small_edit_in_a_very_long_paragraph_is_shown_as_small():
    old = "stride " * 14_000 + "and the end."
    new = "stride " * 7_000 + "quick " + "stride " * 7_000 + "and the end."
    pieces = word_diff(old, new)
    assert [(op, text.strip()) for op, text in pieces if op != "equal"] == [("insert", "quick")]
    assert "".join(text for op, text in pieces if op != "delete") == new
