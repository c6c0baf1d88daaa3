"""The owner builds a showcase through the pages (no JavaScript needed), readers read it."""

from __future__ import annotations

import re

from sqlalchemy import select

from portfolio.extensions import db
from portfolio.showcases.models import Showcase
from tests.factories import make_entry, make_scenario
from tests.showcases.builders import full_showcase


def test_a_candidate_makes_and_builds_a_showcase(app, client, login):
    s = make_scenario()
    entry = make_entry(s.author, cohort=s.cohort, title="Relay changeovers")
    db.session.commit()
    login(s.author)
    response = client.post("/showcases/new", data={"title": "For the club",
                                                   "introduction": "Hi *there*"})
    showcase = db.session.scalar(select(Showcase))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/showcases/{showcase.id}/build")
    base = f"/showcases/{showcase.id}"
    lock = showcase.lock_version
    assert client.post(f"{base}/items/heading", data={
        "heading-heading": "Relays", "heading-lock_version": lock}).status_code == 302
    db.session.refresh(showcase)
    assert client.post(f"{base}/items/entry", data={
        "entry-entry": entry.id, "entry-note": "Chosen for the changeovers",
        "entry-lock_version": showcase.lock_version}).status_code == 302
    db.session.refresh(showcase)
    page = client.get(f"{base}/build").get_data(as_text=True)
    assert "Relays" in page and "Relay changeovers" in page and "Chosen for the changeovers" in page
    heading = showcase.items[0]
    assert client.post(f"{base}/items/{heading.id}/down",
                       data={"lock_version": showcase.lock_version}).status_code == 302
    db.session.expire_all()
    assert [item.kind for item in db.session.get(Showcase, showcase.id).items] == [
        "entry_version", "heading"]
    reading = client.get(base).get_data(as_text=True)
    assert reading.index("Relay changeovers") < reading.index("Relays</h2>")


def test_a_stale_tab_gets_409_with_its_text(app, client, login):
    s = make_scenario()
    showcase = full_showcase(s)
    login(s.author)
    base = f"/showcases/{showcase.id}"
    stale = showcase.lock_version
    assert client.post(f"{base}/items/heading", data={
        "heading-heading": "First tab", "heading-lock_version": stale}).status_code == 302
    response = client.post(f"{base}/items/heading", data={
        "heading-heading": "Second tab words", "heading-lock_version": stale})
    assert response.status_code == 409
    assert "Second tab words" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [i.heading for i in db.session.get(Showcase, showcase.id).items
            if i.kind == "heading"] == ["Sprints", "First tab"]


def test_form_errors_come_back_next_to_the_field(app, client, login):
    s = make_scenario()
    showcase = full_showcase(s)
    login(s.author)
    response = client.post(f"/showcases/{showcase.id}/items/heading", data={
        "heading-heading": "", "heading-lock_version": showcase.lock_version})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page and 'href="#heading-heading"' in page


def test_another_persons_entry_id_is_refused(app, client, login):
    s = make_scenario()
    showcase = full_showcase(s)
    theirs = make_entry(s.peer, cohort=s.cohort, title="Pat's secret session")
    db.session.commit()
    login(s.author)
    response = client.post(f"/showcases/{showcase.id}/items/entry", data={
        "entry-entry": theirs.id, "entry-lock_version": showcase.lock_version})
    assert response.status_code == 200
    assert "Choose one of your entries" in response.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.get(Showcase, showcase.id).items) == 5


def test_readers_see_only_the_items_and_their_files(app, client, login):
    s = make_scenario()
    showcase = full_showcase(s, developers=True)
    login(s.developer)
    page = client.get(f"/showcases/{showcase.id}").get_data(as_text=True)
    for text in ("My coaching year", "Block starts session", "My best session.",
                 "Start position photo", "Relay clip", "Signed off: VP1"):
        assert text in page
    photo_item = next(i for i in showcase.items if i.evidence_id == showcase.photo.id)
    assert f"/showcases/{showcase.id}/thumbnails/{photo_item.id}" in page
    file = client.get(f"/showcases/{showcase.id}/files/{photo_item.id}")
    assert file.status_code == 200 and file.headers["Content-Type"] == "image/jpeg"
    # A file of the showcase's own evidence, asked for with another item's number: nothing.
    link_item = next(i for i in showcase.items if i.evidence_id == showcase.clip.id)
    assert client.get(f"/showcases/{showcase.id}/files/{link_item.id}").status_code == 404
    # Coach developer of the cohort sees it on the list too.
    assert "My coaching year" in client.get("/showcases/").get_data(as_text=True)


def test_the_list_shows_what_others_shared_only_to_those_it_is_shared_with(app, client, login):
    s = make_scenario()
    full_showcase(s, peers=True)
    login(s.outsider)
    assert "My coaching year" not in client.get("/showcases/").get_data(as_text=True)
    login(s.peer)
    assert "My coaching year" in client.get("/showcases/").get_data(as_text=True)


def test_the_nav_shows_showcases_to_candidates(app, client, login):
    s = make_scenario()
    db.session.commit()
    login(s.author)
    assert re.search(r'href="/showcases/"[^>]*>Showcases<', client.get("/showcases/").get_data(
        as_text=True))


def test_a_change_without_a_readable_version_is_refused_not_applied(app, client, login):
    s = make_scenario()
    db.session.commit()
    login(s.author)
    client.post("/showcases/new", data={"title": "For the club"})
    showcase = db.session.scalar(select(Showcase))
    ident, lock = showcase.id, showcase.lock_version
    for garbled in ("", "abc", "²", "-1.5"):
        response = client.post(f"/showcases/{ident}/delete", data={"lock_version": garbled})
        assert response.status_code == 400, garbled
    db.session.expire_all()
    assert db.session.get(Showcase, ident) is not None
    response = client.post(f"/showcases/{ident}/delete", data={"lock_version": lock})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Showcase, ident) is None
