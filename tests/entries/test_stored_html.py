"""A saved version's HTML is rendered once, when it is saved; readers show the stored HTML."""

import re
from pathlib import Path

import pytest

import portfolio.text
from portfolio.entries import services
from portfolio.entries.philosophy import save_statement
from portfolio.entries.reflection_models import ordered_sections
from portfolio.exports.document import build_document
from portfolio.exports.render import render_html
from portfolio.extensions import db
from portfolio.reviews.services.requests import submit_for_review
from portfolio.text import render_markdown, render_sections
from tests.cpu import least_cpu_seconds
from tests.entries.builders import form_fields, spy_on_markdown
from tests.factories import competency, make_entry

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

SECTIONS = {"what": "Block starts with the **under-17** group.",
            "so_what": "Reaction was [slow](https://example.org/notes) <script>x()</script>",
            "now_what": "- reaction games\n- fewer cues"}
STATEMENT = "Athletes **first**; the coach *second*."


@pytest.fixture
def rendered_sources(monkeypatch):
    """Every Markdown source rendered while the test runs (the one renderer, spied on)."""
    seen = spy_on_markdown(monkeypatch)
    # Short texts are kept once formatted (text._short_html), which would hide a reader that
    # renders again: keep none while spying.
    monkeypatch.setattr(portfolio.text, "SHORT_SOURCE_CHARS", -1)
    return seen


def test_saving_a_version_stores_the_html_rendered_then(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, sections=dict(SECTIONS))
    db.session.commit()
    client_for(world.author).post(f"/portfolio/entries/{entry.id}/edit", data=form_fields(
        entry, sections={"what": "A **new** account of the session."}))
    db.session.expire_all()
    version = services.latest_version(entry)
    assert version.number == 2
    assert version.rendered == render_sections(version.sections)
    assert version.rendered["what"] == "<p>A <strong>new</strong> account of the session.</p>"
    assert "<script" not in version.rendered["so_what"]


def test_saving_a_philosophy_version_stores_its_html(world):
    version = save_statement(world.author, body=STATEMENT, privacy="developers")
    db.session.commit()
    assert version.rendered == str(render_markdown(STATEMENT))
    assert "<strong>first</strong>" in version.rendered


def _reviewed_entry(world):
    entry = make_entry(world.author, cohort=world.cohort, sections=dict(SECTIONS),
                       competencies=[competency(world.framework, "VP1")])
    save_statement(world.author, body=STATEMENT, privacy="developers")
    request = submit_for_review(entry, world.author, [competency(world.framework, "VP1").id])
    db.session.commit()
    return entry, request


def test_reader_pages_show_the_stored_html_without_rendering_it_again(world, client_for,
                                                                       rendered_sources):
    entry, request = _reviewed_entry(world)
    rendered_sources.clear()  # saving rendered them; reading must not
    section, statement = "<strong>under-17</strong>", "Athletes <strong>first</strong>"
    entry_page = f"/portfolio/entries/{entry.id}"
    pages = {
        world.author: {entry_page: [section], f"{entry_page}/versions/1": [section],
                       "/portfolio/philosophy/versions": [statement]},
        world.developer: {
            entry_page: [section], f"/reviews/requests/{request.id}": [section],
            f"/portfolio/candidates/{world.author.id}": [statement],
            f"/exports/candidates/{world.author_membership.id}/portfolio.html": [section,
                                                                               statement]},
        world.peer: {entry_page: [section]},
    }
    for reader, expected in pages.items():
        browser = client_for(reader)
        for url, snippets in expected.items():
            response = browser.get(url)
            assert response.status_code == 200, url
            body = response.get_data(as_text=True)
            assert all(snippet in body for snippet in snippets), url
            assert "<script>x()" not in body, url
    written = set(SECTIONS.values()) | {STATEMENT}
    assert [source for source in rendered_sources if source in written] == []


def test_the_portfolio_document_uses_the_stored_html(world, rendered_sources):
    _reviewed_entry(world)
    rendered_sources.clear()
    document = build_document(world.author, world.author_membership, world.developer)
    html = render_html(document)
    assert "<strong>under-17</strong>" in html and "Athletes <strong>first</strong>" in html
    assert [source for source in rendered_sources if source in SECTIONS.values()] == []


def test_a_working_copy_never_saved_is_rendered_for_its_author(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, published=False,
                       sections={"what": "Draft with *emphasis*."})
    db.session.commit()
    page = client_for(world.author).get(f"/portfolio/entries/{entry.id}").get_data(as_text=True)
    assert "Draft with <em>emphasis</em>." in page


def test_sections_take_their_html_from_what_is_passed():
    items = ordered_sections("what_so_what", {"what": "x"}, {"what": "<p>x</p>"})
    assert items[0]["html"] == "<p>x</p>" and items[1]["html"] == ""


def test_preview_of_fifty_thousand_brackets_answers_quickly(world, client_for):
    browser = client_for(world.author)
    browser.post("/portfolio/preview", data={"text": "warm"})  # first request of the app
    answers = []

    def preview():
        answers.append(browser.post("/portfolio/preview", data={"text": "[" * 50_000}))

    # The test client serves the request in this thread. The fault this guards against took
    # minutes of processor time; a correct preview takes about a tenth of a second.
    elapsed = least_cpu_seconds(preview)
    assert elapsed < 3.0, f"preview took {elapsed:.2f} s of processor time"
    assert all(answer.status_code == 200 for answer in answers)
    assert "[[[[" in answers[-1].get_json()["html"]


def test_stored_html_is_only_ever_applied_to_stored_html():
    # The filter marks its argument safe: only a version's `rendered` (or a section's "html",
    # which comes from it or from render_sections) may reach it, or a showcase's
    # `introduction_html`, which showcases.services renders with the same sanitiser.
    uses = [(path.name, line.strip()) for path in TEMPLATES.rglob("*.html")
            for line in path.read_text(encoding="utf-8").splitlines() if "stored_html" in line]
    assert uses, "no template uses stored_html: wrong folder?"
    for name, line in uses:
        for argument in re.findall(r"{{\s*([\w.]+)\s*\|\s*stored_html", line):
            assert argument.endswith((".rendered", "section.html", "showcase.introduction_html")
                                     ), (name, line)
