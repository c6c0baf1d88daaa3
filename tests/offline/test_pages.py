"""The installable app: the manifest names the app, its icons (a maskable one too) and where it
starts; the service worker is served from the root so it may look after every page; the outbox
page and every signed-in page carry the status region the outbox fills."""

from __future__ import annotations

from portfolio.extensions import db
from tests.factories import make_scenario, sign_in


def test_the_manifest_makes_the_app_installable(app, client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200
    assert manifest.mimetype == "application/manifest+json"
    data = manifest.get_json()
    assert data["name"] == "Advanced Coach Portfolio" and data["short_name"]
    assert data["display"] == "standalone" and data["start_url"] == "/home"
    assert data["theme_color"] == "#0b3d62"
    purposes = {(icon["type"], icon["purpose"]) for icon in data["icons"]}
    assert {("image/svg+xml", "maskable"), ("image/png", "maskable"),
            ("image/png", "any")} <= purposes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200, icon["src"]


def test_the_service_worker_is_served_at_the_root(app, client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Service-Worker-Allowed"] == "/"
    assert worker.headers["Cache-Control"] == "no-cache"
    assert b"portfolio-shell-" in worker.data


def test_signed_in_pages_say_what_is_waiting_and_link_the_manifest(app, client):
    s = make_scenario()
    db.session.commit()
    sign_in(client, s.author)
    page = client.get("/outbox").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert "data-outbox-status" in page and 'aria-live="polite"' in page
    assert "<h1>Waiting to be sent</h1>" in page
    assert "js/outbox.js" in page


def test_the_new_observation_and_new_entry_forms_are_outbox_forms(app, client):
    from tests.observations.builders import default_template

    s = make_scenario()
    default_template(s.framework)
    db.session.commit()
    sign_in(client, s.developer)
    record = client.get(f"/observations/new/{s.cohort.id}/{s.author.id}").get_data(as_text=True)
    assert 'data-outbox="observation"' in record
    sign_in(client, s.author)
    new = client.get("/portfolio/entries/new?model=gibbs").get_data(as_text=True)
    assert 'data-outbox="entry"' in new
