"""Secret links: shown once, stored as a hash, refused alike when expired, revoked, unknown or
malformed, and every page, file and download through one is logged for the owner."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select

from portfolio.database import utcnow
from portfolio.extensions import db
from portfolio.showcases import links
from portfolio.showcases.models import ShowcaseLink, ShowcaseLinkView
from tests.factories import make_scenario
from tests.showcases.builders import full_showcase

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _new_link(client, showcase, label="Club committee", days="30"):
    page = client.post(f"/showcases/{showcase.id}/links", data={"label": label, "days": days})
    text = page.get_data(as_text=True)
    token = text.split("/s/", 1)[1].split('"', 1)[0]
    return page, text, token


def test_the_token_is_shown_once_and_only_its_hash_is_stored(app, client, login):
    s = make_scenario()
    showcase = full_showcase(s)
    login(s.author)
    page, text, token = _new_link(client, showcase)
    assert page.status_code == 200 and "Your new link" in text and len(token) == 43
    link = db.session.scalar(select(ShowcaseLink))
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str([getattr(link, c.key) for c in ShowcaseLink.__table__.columns])
    assert 29 <= (link.expires_at - utcnow()).days <= 30
    again = client.get(f"/showcases/{showcase.id}/links").get_data(as_text=True)
    assert token not in again and "Club committee" in again and "Live" in again


def test_a_link_opens_the_showcase_without_signing_in_and_is_logged(app, client, login):
    s = make_scenario()
    showcase = full_showcase(s)
    login(s.author)
    _, _, token = _new_link(client, showcase)
    visitor = app.test_client()
    page = visitor.get(f"/s/{token}", headers={"User-Agent": FIREFOX},
                       environ_base={"REMOTE_ADDR": "203.0.113.77"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Block starts session" in text and "My best session." in text
    assert "Aisha Author" not in text and "Dev Eloper" not in text  # names stay inside the app
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in page.headers["X-Robots-Tag"]
    assert page.headers["Cache-Control"] == "private, no-store"
    photo_item = next(i for i in showcase.items if i.evidence_id == showcase.photo.id)
    file = visitor.get(f"/s/{token}/files/{photo_item.id}", headers={"User-Agent": FIREFOX},
                       environ_base={"REMOTE_ADDR": "203.0.113.77"})
    assert file.status_code == 200 and file.headers["Referrer-Policy"] == "no-referrer"
    db.session.expire_all()
    link = db.session.scalar(select(ShowcaseLink))
    assert link.view_count == 2 and link.last_viewed_at is not None
    views = db.session.scalars(select(ShowcaseLinkView).order_by(ShowcaseLinkView.id)).all()
    assert [(v.what, v.network, v.browser) for v in views] == [
        ("The showcase page", "203.0.113.x", "Firefox"),
        ("File: Start position photo", "203.0.113.x", "Firefox")]
    log = client.get(f"/showcases/{showcase.id}/links/{link.id}").get_data(as_text=True)
    assert "203.0.113.x" in log and "File: Start position photo" in log and "203.0.113.77" not in log


def test_expired_revoked_unknown_and_malformed_links_all_get_the_same_plain_404(app, client,
                                                                              login):
    s = make_scenario()
    showcase = full_showcase(s)
    expired, expired_token = links.create_link(showcase, s.author, label="Old", days=1)
    expired.expires_at = utcnow() - timedelta(seconds=1)
    revoked, revoked_token = links.create_link(showcase, s.author, label="Gone")
    links.revoke_link(revoked, s.author)
    db.session.commit()
    visitor = app.test_client()
    bodies = set()
    for token in (expired_token, revoked_token, "A" * 43, "short", "A" * 43 + "'"):
        response = visitor.get(f"/s/{token}")
        assert response.status_code == 404
        assert response.headers["Referrer-Policy"] == "no-referrer"
        body = response.get_data(as_text=True)
        assert "My coaching year" not in body
        bodies.add(body.replace(token, ""))
    assert len(bodies) == 1  # nothing says which kind of refusal it was
    assert db.session.scalar(select(ShowcaseLinkView.id)) is None
    login(s.author)
    listing = client.get(f"/showcases/{showcase.id}/links").get_data(as_text=True)
    assert "Expired" in listing and "Revoked" in listing


def test_revoking_stops_the_link_at_once(app, client, login):
    s = make_scenario()
    showcase = full_showcase(s)
    login(s.author)
    _, _, token = _new_link(client, showcase)
    visitor = app.test_client()
    assert visitor.get(f"/s/{token}").status_code == 200
    link = db.session.scalar(select(ShowcaseLink))
    assert client.post(f"/showcases/{showcase.id}/links/{link.id}/revoke").status_code == 302
    assert visitor.get(f"/s/{token}").status_code == 404
    assert visitor.get(f"/s/{token}/showcase.pdf").status_code == 404


def test_the_days_are_bounded(app, client, login):
    s = make_scenario()
    showcase = full_showcase(s)
    login(s.author)
    for days in ("0", "366", "lots"):
        page = client.post(f"/showcases/{showcase.id}/links", data={"label": "x", "days": days})
        assert "Enter a number of days from 1 to 365" in page.get_data(as_text=True)
    assert db.session.scalar(select(ShowcaseLink.id)) is None


def test_networks_and_browsers_are_coarse():
    assert links.coarse_network("198.51.100.23") == "198.51.100.x"
    assert links.coarse_network("2001:db8:1234:5678::1") == "2001:db8:1234::/48"
    assert links.coarse_network("nonsense") == "unknown"
    assert links.browser_family("Mozilla/5.0 ... Chrome/126.0 Safari/537.36 Edg/126.0") == "Edge"
    assert links.browser_family("Mozilla/5.0 (iPhone) ... Version/17.5 Mobile Safari/604.1") \
        == "Safari"
    assert links.browser_family("Slackbot-LinkExpanding 1.0").startswith("Automated")
