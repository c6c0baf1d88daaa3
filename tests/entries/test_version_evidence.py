"""The evidence list is part of a saved version: its page, the comparison and "save now"."""

import pytest

from portfolio.entries import services as entry_services
from portfolio.entries.diff import evidence_moves
from portfolio.entries.working_copy import EntryDraft
from portfolio.evidence import services as evidence_services
from portfolio.extensions import db
from tests.evidence.builders import entry_with, store
from tests.factories import make_scenario

WARNING = "Evidence changes not saved as a version yet"


@pytest.fixture
def world(app):
    s = make_scenario()
    s.plan = store(s.author, "plan.pdf", title="Session plan")
    s.video = store(s.author, "starts.mp4", title="Starts video")
    s.entry = entry_with(s.author, [s.plan], cohort=s.cohort, privacy="peers",
                         title="Hurdle rhythm")
    return s


def attach(s, item):
    evidence_services.attach(s.author, s.entry, item)
    db.session.commit()


def detach(s, item):
    evidence_services.detach(s.author, s.entry, item)
    db.session.commit()


def save(s):
    version = entry_services.save_version(s.entry, s.author)
    db.session.commit()
    return version


def page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_an_old_version_shows_the_evidence_it_was_saved_with(client, login, world):
    attach(world, world.video)
    save(world)
    entry_id = world.entry.id
    for viewer in (world.author, world.peer):
        login(viewer)
        first = page(client, f"/portfolio/entries/{entry_id}/versions/1")
        assert "Session plan" in first and "Starts video" not in first
        assert WARNING not in first and "Add or remove evidence" not in first
        second = page(client, f"/portfolio/entries/{entry_id}/versions/2")
        assert "Session plan" in second and "Starts video" in second


def test_evidence_removed_later_stays_on_the_old_version(client, login, world):
    detach(world, world.plan)
    save(world)
    login(world.author)
    first = page(client, f"/portfolio/entries/{world.entry.id}/versions/1")
    assert "Session plan" in first and "No evidence in this version." not in first
    assert "No evidence in this version." in page(client, f"/portfolio/entries/{world.entry.id}")
    # A reader may open only what the latest version shares, and is told the rest exists.
    login(world.peer)
    first = page(client, f"/portfolio/entries/{world.entry.id}/versions/1")
    assert "Session plan" not in first
    assert "1 item of evidence in this version is no longer shared." in first


def test_the_unsaved_evidence_warning_shows_only_on_the_latest_view(client, login, world):
    attach(world, world.video)
    save(world)
    detach(world, world.video)  # not saved: version 2 still lists the video
    login(world.author)
    latest = page(client, f"/portfolio/entries/{world.entry.id}")
    assert WARNING in latest and "Removed since version 2: “Starts video”" in latest
    assert "Save as version 3 now" in latest
    assert WARNING in page(client, f"/portfolio/entries/{world.entry.id}/versions/2")
    assert WARNING not in page(client, f"/portfolio/entries/{world.entry.id}/versions/1")
    login(world.peer)
    assert WARNING not in page(client, f"/portfolio/entries/{world.entry.id}")


def test_no_warning_once_the_evidence_is_saved(client, login, world):
    attach(world, world.video)
    login(world.author)
    assert "Attached since version 1: “Starts video”" in page(
        client, f"/portfolio/entries/{world.entry.id}")
    save(world)
    assert WARNING not in page(client, f"/portfolio/entries/{world.entry.id}")


def test_the_comparison_lists_evidence_added_and_removed_by_title(client, login, world):
    detach(world, world.plan)
    attach(world, world.video)
    save(world)
    login(world.author)
    changes = page(client, f"/portfolio/entries/{world.entry.id}/compare/1/2")
    video_link = f'<a href="/evidence/{world.video.id}">Starts video</a>'
    plan_link = f'<a href="/evidence/{world.plan.id}">Session plan</a>'
    assert f"Evidence added: <ins>{video_link}</ins>" in changes
    assert f"Evidence removed: <del>{plan_link}</del>" in changes
    assert "These two versions say the same thing." not in changes
    # The peer may no longer open the removed plan, so its title is not shown to them.
    login(world.peer)
    changes = page(client, f"/portfolio/entries/{world.entry.id}/compare/1/2")
    assert "Starts video" in changes and "Session plan" not in changes
    assert "Evidence removed: 1 item no longer shared" in changes


def test_a_comparison_without_evidence_changes_lists_none(client, login, world):
    entry_services.update_working_copy(world.entry, EntryDraft(title="Hurdle rhythm, again"),
                                       world.author)
    save(world)
    login(world.author)
    changes = page(client, f"/portfolio/entries/{world.entry.id}/compare/1/2")
    assert "Evidence added" not in changes and "Evidence removed" not in changes


def test_evidence_moves_reads_ids_however_they_were_stored():
    assert evidence_moves({"evidence_ids": [1, "2", 3]}, {"evidence_ids": ["3", 4, 4]}) == (
        [4], [1, 2])
    assert evidence_moves({}, {"evidence_ids": ["x", 5]}) == ([5], [])


def test_save_now_saves_the_working_copy_as_a_new_version(client, login, world):
    attach(world, world.video)
    login(world.author)
    response = client.post(f"/portfolio/entries/{world.entry.id}/save-version",
                           data={"lock_version": world.entry.lock_version},
                           follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Saved as version 2. Readers now see its evidence." in text and WARNING not in text
    db.session.refresh(world.entry)
    version = entry_services.latest_version(world.entry)
    assert version.number == 2
    assert sorted(version.evidence_ids) == sorted([world.plan.id, world.video.id])
    again = client.post(f"/portfolio/entries/{world.entry.id}/save-version",
                        data={"lock_version": world.entry.lock_version}, follow_redirects=True)
    assert "Nothing has changed since version 2." in again.get_data(as_text=True)


def test_save_now_from_a_stale_page_saves_nothing(client, login, world):
    attach(world, world.video)
    stale_lock = world.entry.lock_version
    # Another window changes the text after the page with the button was opened.
    entry_services.update_working_copy(world.entry, EntryDraft(title="Changed elsewhere"),
                                       world.author)
    db.session.commit()
    login(world.author)
    response = client.post(f"/portfolio/entries/{world.entry.id}/save-version",
                           data={"lock_version": stale_lock}, follow_redirects=True)
    assert "changed in another window" in response.get_data(as_text=True)
    db.session.refresh(world.entry)
    assert world.entry.latest_version_number == 1


def test_save_now_keeps_the_rules_of_a_save(client, login, world):
    attach(world, world.video)
    entry_services.update_working_copy(world.entry, EntryDraft(title=""), world.author)
    db.session.commit()
    login(world.author)
    latest = page(client, f"/portfolio/entries/{world.entry.id}")
    assert "saving now includes them" in latest  # the draft's other change is saved too
    response = client.post(f"/portfolio/entries/{world.entry.id}/save-version",
                           data={"lock_version": world.entry.lock_version},
                           follow_redirects=True)
    assert "No version was saved: Enter a title before saving a version." in response.get_data(
        as_text=True)
    db.session.refresh(world.entry)
    assert world.entry.latest_version_number == 1


def test_save_now_is_for_the_author_only(app, client, login, world):
    attach(world, world.video)
    path = f"/portfolio/entries/{world.entry.id}/save-version"
    for role in ("peer", "developer", "lead", "admin", "other_candidate", "stranger"):
        login(getattr(world, role))
        assert client.post(path, data={"lock_version": world.entry.lock_version}
                           ).status_code == 404, role
    assert app.test_client().post(path).status_code == 302  # anonymous: to sign in
    db.session.refresh(world.entry)
    assert world.entry.latest_version_number == 1


def test_an_archived_entry_offers_no_save(client, login, world):
    attach(world, world.video)
    world.year.status = "archived"
    db.session.commit()
    login(world.author)
    latest = page(client, f"/portfolio/entries/{world.entry.id}")
    assert WARNING in latest and "Save as version 2 now" not in latest
    response = client.post(f"/portfolio/entries/{world.entry.id}/save-version",
                           data={"lock_version": world.entry.lock_version},
                           follow_redirects=True)
    assert "No version was saved" in response.get_data(as_text=True)
    db.session.refresh(world.entry)
    assert world.entry.latest_version_number == 1
