"""A candidate's portfolio as PDF and self-contained HTML: exactly what the requester may read."""

import io
import re
import socket

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portfolio.audit.models import AuditEvent
from portfolio.entries.models import PhilosophyStatement, PhilosophyVersion
from portfolio.entries.versioning import content_hash
from portfolio.exports.render import ResourceRefused, make_fetcher
from portfolio.extensions import db
from tests.exports.builders import seeded_cohort
from tests.factories import make_entry


def _pdf_text(client, login, user, membership):
    login(user)
    response = client.get(f"/exports/candidates/{membership.id}/portfolio.pdf")
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "application/pdf"
    assert int(response.headers["Content-Length"]) == len(response.get_data())
    reader = PdfReader(io.BytesIO(response.get_data()))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _philosophy(owner, body, privacy="developers"):
    statement = PhilosophyStatement(owner_id=owner.id, body=body, privacy=privacy,
                                    latest_version_number=1)
    db.session.add(statement)
    db.session.flush()
    db.session.add(PhilosophyVersion(statement_id=statement.id, number=1, body=body,
                                     content_hash=content_hash({"body": body})))
    db.session.flush()
    return statement


def test_pdf_has_one_section_per_visible_entry_and_no_private_entry(app, client, login):
    s = seeded_cohort()
    make_entry(s.author, cohort=s.cohort, privacy="cohort", title="Unsaved idea",
               published=False)
    _philosophy(s.author, "Athletes first, **always**.")
    db.session.commit()
    text = _pdf_text(client, login, s.lead, s.author_membership)
    assert "Entry 1: Block starts with under-17s" in text
    assert "Entry 2: Planning the indoor season" in text
    assert "Entry 3:" not in text
    assert "My private worries" not in text
    assert "Unsaved idea" not in text
    assert "Athletes first, always." in text
    assert "Aisha Author" in text


def test_candidate_own_pdf_still_leaves_out_only_me_entries(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    text = _pdf_text(client, login, s.author, s.author_membership)
    assert text.count("Entry 1:") == 1 and "Entry 2:" in text and "Entry 3:" not in text
    assert "My private worries" not in text


def test_pdf_lists_signoffs_with_hashes_and_evidence_with_checksums(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    text = _flat(_pdf_text(client, login, s.developer, s.author_membership))
    assert s.signoff.content_hash in text
    assert "version1" in text
    assert s.plan.sha256 in text
    assert _flat("Block start plan.pdf") in text
    assert _flat("Signed off (1 of 1)") in text  # competency map


def test_private_philosophy_is_left_out(app, client, login):
    s = seeded_cohort()
    _philosophy(s.author, "Only for my eyes", privacy="private")
    db.session.commit()
    text = _pdf_text(client, login, s.lead, s.author_membership)
    assert "Only for my eyes" not in text


def test_evidence_of_a_private_entry_is_not_listed(app, client, login):
    from tests.exports.builders import make_file_evidence

    s = seeded_cohort()
    secret = make_file_evidence(s.author, "diary-scan.pdf", b"%PDF secret diary")
    make_entry(s.author, cohort=s.cohort, privacy="private", title="Diary",
               evidence=[secret])
    db.session.commit()
    login(s.lead)
    html = client.get(f"/exports/candidates/{s.author_membership.id}/portfolio.html")
    body = html.get_data(as_text=True)
    assert "diary-scan.pdf" not in body and secret.sha256 not in body
    assert s.plan.sha256 in body


def test_html_export_is_self_contained(app, client, login):
    s = seeded_cohort()
    s.shared_entry.sections = {"what": "![tracker](https://tracker.example/p.png) "
                                       "<img src=x onerror=alert(1)> [notes](https://ok.example)"}
    from tests.factories import add_version

    add_version(s.shared_entry)
    db.session.commit()
    login(s.lead)
    response = client.get(f"/exports/candidates/{s.author_membership.id}/portfolio.html")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    html = response.get_data(as_text=True)
    assert "<style>" in html
    assert "<script" not in html.lower()
    assert "<img" not in html and "<link" not in html and "src=" not in html
    assert "tracker.example" not in html
    assert 'href="https://ok.example"' in html  # an ordinary link survives, as on the page


def test_pdf_renderer_never_fetches_remote_or_local_files(app, monkeypatch):
    from weasyprint import HTML

    def no_network(*args, **kwargs):
        raise AssertionError("the PDF renderer tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    fetcher = make_fetcher()
    html = ('<img src="http://169.254.169.254/latest/meta-data"><img src="file:///etc/passwd">'
            '<link rel="stylesheet" href="https://cdn.example/x.css"><p>Hello</p>')
    pdf = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert any("169.254.169.254" in url for url in fetcher.refused)
    assert any(url.startswith("file:") for url in fetcher.refused)


def test_fetcher_answers_only_the_data_uris_it_was_given():
    allowed = "data:text/plain;base64,aGk="
    fetcher = make_fetcher(frozenset({allowed}))
    assert fetcher.fetch(allowed).read() == b"hi"
    for url in ("data:text/plain;base64,b3RoZXI=", "https://example.org/", "file:///etc/hosts"):
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)


def test_portfolio_exports_are_audited(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    login(s.developer)
    client.get(f"/exports/candidates/{s.author_membership.id}/portfolio.html")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.actor_id == s.developer.id))
    assert event.action == "export.portfolio_html"
    assert event.cohort_id == s.cohort.id and event.target_id == s.author.id
    assert "Block starts" not in event.summary


@pytest.mark.parametrize("role", ["peer", "outsider", "other_developer", "other_candidate",
                                  "stranger"])
def test_others_get_404_for_a_portfolio(app, client, login, role):
    s = seeded_cohort()
    db.session.commit()
    login(getattr(s, role))
    for suffix in ("pdf", "html"):
        response = client.get(f"/exports/candidates/{s.author_membership.id}/portfolio.{suffix}")
        assert response.status_code == 404


def test_web_page_opens_in_the_browser_under_the_site_csp_with_download_links(app, client,
                                                                              login):
    from portfolio.security import CONTENT_SECURITY_POLICY

    s = seeded_cohort()
    db.session.commit()
    login(s.lead)
    response = client.get(f"/exports/candidates/{s.author_membership.id}/portfolio")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "Content-Disposition" not in response.headers
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    html = response.get_data(as_text=True)
    assert "<style" not in html  # the CSP allows no inline style: the sheets are linked
    assert 'href="/exports/portfolio-style.css"' in html
    assert f'href="/exports/candidates/{s.author_membership.id}/portfolio.html" download' in html
    assert f'href="/exports/candidates/{s.author_membership.id}/portfolio.pdf"' in html
    assert "Block starts with under-17s" in html and "My private worries" not in html
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.actor_id == s.lead.id))
    assert event.action == "export.portfolio_page"


def test_the_page_stylesheets_are_the_ones_the_file_carries_inline(app, client):
    for sheet in ("style", "narrow"):
        response = client.get(f"/exports/portfolio-{sheet}.css")
        assert response.status_code == 200
        assert response.mimetype == "text/css"
        assert "{" in response.get_data(as_text=True)
    assert client.get("/exports/portfolio-other.css").status_code == 404


def test_my_portfolio_links_the_web_page_view(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    login(s.author)
    page = client.get("/exports/my-portfolio").get_data(as_text=True)
    assert f'href="/exports/candidates/{s.author_membership.id}/portfolio"' in page
