"""Attaching evidence to an entry's working copy, and the evidence panel on the entry page."""

import io

import pytest
from sqlalchemy import select

from portfolio.entries.panels import build_panels
from portfolio.evidence.models import EntryEvidence, Evidence
from portfolio.evidence.panel import build_entry_panel
from portfolio.extensions import db
from portfolio.registry import registry_of
from tests.evidence.builders import SAMPLES, entry_with, image_bytes, pdf_bytes, store
from tests.factories import add_version, make_entry, make_scenario


@pytest.fixture
def world(app):
    s = make_scenario()
    s.entry = make_entry(s.author, cohort=s.cohort, privacy="peers", title="Hurdle rhythm")
    db.session.commit()
    return s


def attached_ids(entry):
    return [link.evidence_id for link in db.session.scalars(
        select(EntryEvidence).where(EntryEvidence.entry_id == entry.id)
        .order_by(EntryEvidence.position))]


def test_author_attaches_from_the_library_and_detaches(client, login, world):
    plan = store(world.author, "plan.pdf", title="Plan")
    photo = store(world.author, "photo.jpg", title="Set-up photo")
    login(world.author)
    page = client.get(f"/evidence/entry/{world.entry.id}/attach").get_data(as_text=True)
    assert "Set-up photo" in page and "No evidence attached yet." in page
    for item in (photo, plan, photo):
        response = client.post(f"/evidence/entry/{world.entry.id}/attach",
                               data={"evidence_id": item.id})
        assert response.status_code == 302
    assert attached_ids(world.entry) == [photo.id, plan.id]
    client.post(f"/evidence/entry/{world.entry.id}/detach", data={"evidence_id": photo.id})
    assert attached_ids(world.entry) == [plan.id]
    assert db.session.get(Evidence, photo.id) is not None  # still in the library


def test_upload_from_the_entry_attaches_the_new_files(client, login, world):
    login(world.author)
    response = client.post(f"/evidence/entry/{world.entry.id}/upload", data={"files": [
        (io.BytesIO(pdf_bytes()), "plan.pdf"), (io.BytesIO(b"<html>x</html>"), "bad.txt")]},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "“bad.txt”: Web pages" in page
    assert "“plan” uploaded." in page
    assert len(attached_ids(world.entry)) == 1
    assert 'class="evidence-list__title"><a href="/evidence/' in page  # now shown as attached


def test_attaching_does_not_touch_the_entry_or_its_lock(app, world):
    from portfolio.evidence import services

    lock = world.entry.lock_version
    services.attach(world.author, world.entry, store(world.author, "plan.pdf"))
    db.session.commit()
    db.session.refresh(world.entry)
    assert world.entry.lock_version == lock


def test_only_the_author_may_manage_an_entrys_evidence(client, login, world):
    plan = store(world.author, "plan.pdf")
    for role in ("peer", "developer", "lead", "admin", "other_candidate"):
        login(getattr(world, role))
        assert client.get(f"/evidence/entry/{world.entry.id}/attach").status_code == 404
        assert client.post(f"/evidence/entry/{world.entry.id}/attach",
                           data={"evidence_id": plan.id}).status_code == 404
    assert attached_ids(world.entry) == []


def test_archived_entry_cannot_change_its_evidence(client, login, world):
    plan = store(world.author, "plan.pdf")
    world.year.status = "archived"
    db.session.commit()
    login(world.author)
    page = client.get(f"/evidence/entry/{world.entry.id}/attach").get_data(as_text=True)
    assert "archived programme year" in page and "Upload and attach" not in page
    response = client.post(f"/evidence/entry/{world.entry.id}/attach",
                           data={"evidence_id": plan.id}, follow_redirects=True)
    assert "Only the author can change" in response.get_data(as_text=True)
    assert attached_ids(world.entry) == []


def test_panel_is_registered_for_the_entry_page(app, world):
    assert any(panel.name == "evidence" and panel.template == "evidence/_entry_panel.html"
               for panel in registry_of(app).entry_panels)
    photo = store(world.author, "photo.jpg")
    entry = entry_with(world.author, [photo], cohort=world.cohort, privacy="peers")
    panels = build_panels(entry, entry.versions[-1], world.peer)
    assert [p["context"]["evidence"] for p in panels if p["name"] == "evidence"] == [[photo]]


def test_panel_shows_readers_the_version_they_see_and_only_what_they_may_open(app, world):
    video = store(world.author, "starts.mp4", title="Starts video")
    entry = entry_with(world.author, [video], cohort=world.cohort, privacy="peers")
    first = entry.versions[-1]
    context = build_entry_panel(entry, first, world.peer)
    assert context["evidence"] == [video] and context["hidden"] == 0
    # The author removes the video and saves: the old version's reader is told, not shown.
    db.session.delete(db.session.scalar(select(EntryEvidence)))
    add_version(entry)
    db.session.commit()
    old = build_entry_panel(entry, first, world.peer)
    assert old["evidence"] == [] and old["hidden"] == 1
    assert build_entry_panel(entry, entry.versions[-1], world.peer) is None
    assert build_entry_panel(entry, first, world.outsider)["evidence"] == []


def test_panel_for_the_author_shows_the_saved_version_and_the_unsaved_changes(app, world):
    saved = store(world.author, "plan.pdf")
    entry = entry_with(world.author, [saved], cohort=world.cohort)
    from portfolio.evidence import services

    extra = store(world.author, "notes.txt")
    services.attach(world.author, entry, extra)
    db.session.commit()
    with app.test_request_context():
        context = build_entry_panel(entry, entry.versions[-1], world.author)
    assert context["evidence"] == [saved]  # what version 1 holds, as readers see it
    assert context["pending"]["added"] == [extra] and context["pending"]["removed"] == []
    assert context["pending"]["save_url"] == f"/portfolio/entries/{entry.id}/save-version"
    assert context["can_edit"]
    assert context["manage_url"] == f"/evidence/entry/{entry.id}/attach"


def test_panel_template_renders_players_thumbnails_and_links(app, world):
    from flask import render_template_string

    items = [store(world.author, name) for name in ("photo.jpg", "starts.mp4", "debrief.mp3",
                                                      "plan.pdf")]
    link = Evidence(owner_id=world.author.id, kind="link", title="Final", url="https://v.example/x")
    db.session.add(link)
    db.session.commit()
    entry = entry_with(world.author, [*items, link], cohort=world.cohort, privacy="cohort")
    panel = build_panels(entry, entry.versions[-1], world.outsider)[0]
    with app.test_request_context():
        html = render_template_string('{% include "evidence/_entry_panel.html" %}', panel=panel)
    assert f'src="/evidence/{items[0].id}/thumbnail"' in html
    assert f'<video class="evidence-player" controls preload="metadata" src="/evidence/{items[1].id}/file"' in html
    assert f'<audio class="evidence-player" controls preload="metadata" src="/evidence/{items[2].id}/file"' in html
    assert f'href="/evidence/{items[3].id}/download"' in html
    assert 'href="https://v.example/x" rel="noopener noreferrer nofollow"' in html
    assert "Add or remove evidence" not in html
    assert SAMPLES  # builders imported for side-effect-free sample data
    assert image_bytes


def test_entry_page_shows_the_panel_to_readers_and_the_manage_link_to_the_author(
        client, login, world):
    photo = store(world.author, "photo.jpg", title="Set-up photo")
    video = store(world.author, "starts.mp4", title="Starts video")
    entry = entry_with(world.author, [photo, video], cohort=world.cohort, privacy="peers")
    login(world.peer)
    page = client.get(f"/portfolio/entries/{entry.id}").get_data(as_text=True)
    assert f'src="/evidence/{photo.id}/thumbnail"' in page
    assert f'src="/evidence/{video.id}/file"' in page
    assert "Add or remove evidence" not in page
    login(world.author)
    page = client.get(f"/portfolio/entries/{entry.id}").get_data(as_text=True)
    assert f'href="/evidence/entry/{entry.id}/attach"' in page
    attach_page = client.get(f"/evidence/entry/{entry.id}/attach").get_data(as_text=True)
    assert f'href="/portfolio/entries/{entry.id}"' in attach_page  # back to the entry
