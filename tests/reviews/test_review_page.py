"""The review page: a newer version saved since, peers' sign-offs, and inline previews."""

from portfolio.evidence.models import EntryEvidence
from portfolio.extensions import db
from portfolio.reviews import services
from tests.evidence.builders import image_bytes, pdf_bytes, store
from tests.factories import add_version
from tests.reviews.builders import scenario_with_entry, submit


def _with_evidence(s, *items):
    for position, item in enumerate(items):
        db.session.add(EntryEvidence(entry_id=s.entry.id, evidence_id=item.id, position=position))
    add_version(s.entry)
    db.session.commit()


def test_says_when_a_newer_version_was_saved_and_links_to_the_comparison(client, login):
    s = scenario_with_entry()
    review_request = submit(s)
    login(s.developer)
    page = client.get(f"/reviews/requests/{review_request.id}").get_data(as_text=True)
    assert "saved since" not in page
    add_version(s.entry)
    add_version(s.entry)
    db.session.commit()
    page = client.get(f"/reviews/requests/{review_request.id}").get_data(as_text=True)
    assert "2 versions have been saved since this review was asked for; the latest is version 3" \
        in page
    assert f'href="/portfolio/entries/{s.entry.id}/compare/1/3"' in page
    assert "This review stays with version 1." in page


def test_shows_peer_sign_offs_with_their_version(client, login):
    s = scenario_with_entry()
    services.peer_signoff(s.entry, s.peer, s.competencies["VP2"].id, "Saw it at the track.")
    db.session.commit()
    review_request = submit(s)
    login(s.developer)
    page = client.get(f"/reviews/requests/{review_request.id}").get_data(as_text=True)
    assert "Peer sign-offs" in page
    assert "by Pat Peer (peer)" in page and "Saw it at the track." in page
    assert "On this version" in page


def test_previews_images_and_pdfs_inline_with_a_link_fallback(client, login):
    s = scenario_with_entry()
    photo = store(s.author, "photo.jpg", image_bytes(), title="Start position photo")
    plan = store(s.author, "plan.pdf", pdf_bytes(), title="Session plan")
    _with_evidence(s, photo, plan)
    review_request = submit(s)
    login(s.developer)
    page = client.get(f"/reviews/requests/{review_request.id}").get_data(as_text=True)
    assert f'src="/evidence/{photo.id}/thumbnail"' in page
    preview = f"/reviews/requests/{review_request.id}/evidence/{plan.id}/preview"
    assert f'<iframe class="review-evidence__pdf" src="{preview}"' in page
    assert f'href="/evidence/{plan.id}/download"' in page  # the fallback

    response = client.get(preview)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # Every other page still refuses to be framed.
    page_response = client.get(f"/reviews/requests/{review_request.id}")
    assert "frame-ancestors 'none'" in page_response.headers["Content-Security-Policy"]
    assert page_response.headers["X-Frame-Options"] == "DENY"


def test_the_pdf_preview_serves_only_pdfs_the_requested_version_lists(client, login):
    s = scenario_with_entry()
    plan = store(s.author, "plan.pdf", pdf_bytes(), title="Session plan")
    other = store(s.author, "other.pdf", pdf_bytes("other"), title="Other plan")
    photo = store(s.author, "photo.jpg", image_bytes(), title="Photo")
    _with_evidence(s, plan, photo)
    review_request = submit(s)
    login(s.developer)
    base = f"/reviews/requests/{review_request.id}/evidence"
    assert client.get(f"{base}/{plan.id}/preview").status_code == 200
    assert client.get(f"{base}/{other.id}/preview").status_code == 404  # not in this version
    assert client.get(f"{base}/{photo.id}/preview").status_code == 404  # not a PDF
    login(s.other_developer)
    assert client.get(f"{base}/{plan.id}/preview").status_code == 404  # another cohort
