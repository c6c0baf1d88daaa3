"""The evidence library: list, add links, change details, delete (unless a review needs it)."""

from datetime import date

import pytest
from sqlalchemy import event, func, select

from portfolio.errors import DomainError
from portfolio.evidence import services
from portfolio.evidence.models import EntryEvidence, Evidence
from portfolio.extensions import db
from portfolio.reviews.models import ReviewRequest, Signoff
from tests.evidence.builders import entry_with, files_on_disk, store
from tests.factories import competency, make_link_evidence, make_scenario


@pytest.fixture
def world(app):
    s = make_scenario()
    db.session.commit()
    return s


def test_library_lists_my_evidence_only(client, login, world):
    store(world.author, "plan.pdf", title="Hurdles session plan")
    store(world.peer, "notes.txt", title="Peer's private notes")
    login(world.author)
    page = client.get("/evidence/").get_data(as_text=True)
    assert "Hurdles session plan" in page
    assert "Peer's private notes" not in page
    assert "not attached to any entry" in page


def test_library_is_for_candidates(client, login, world):
    for role in ("developer", "lead", "admin", "stranger"):
        login(getattr(world, role))
        assert client.get("/evidence/").status_code == 403


def test_nav_shows_evidence_to_candidates_only(client, login, world):
    login(world.author)
    assert '>Evidence</a>' in client.get("/evidence/").get_data(as_text=True)
    login(world.developer)
    assert '>Evidence</a>' not in client.get("/home", follow_redirects=True).get_data(
        as_text=True)


def count_statements(client, url) -> tuple[int, str]:
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        page = client.get(url).get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements), page


def add_clips(world, numbers):
    for number in numbers:
        evidence = make_link_evidence(world.author, title=f"Clip {number:02d}",
                                      url=f"https://video.example/{number}")
        if number % 3 == 0:
            entry_with(world.author, [evidence], cohort=world.cohort)
    db.session.commit()


def test_library_paginates_with_a_fixed_number_of_queries(app, client, login, world):
    login(world.author)
    add_clips(world, range(2))
    few, _ = count_statements(client, "/evidence/")
    add_clips(world, range(2, 30))
    many, first = count_statements(client, "/evidence/")
    _, second = count_statements(client, "/evidence/?page=2")
    assert "Clip 29" in first and "Clip 04" not in first
    assert "Page 1 of 2" in first and "Clip 04" in second
    assert many == few
    assert "attached to 1 entry" in first


def test_add_link_accepts_https_only(client, login, world):
    login(world.author)
    for bad, message in [("http://video.example/x", "https://"),
                         ("javascript:alert(1)", "https://"),
                         ("https://user:pw@video.example/x", "user name or password"),
                         ("https:///nohost", "https://"),
                         ("https://video.example/a b", "without spaces")]:
        response = client.post("/evidence/links/new", data={"title": "Final", "url": bad,
                                                            "description": "kept"})
        page = response.get_data(as_text=True)
        assert message in page, bad
        assert "kept" in page  # the rest of the form is kept
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 0
    response = client.post("/evidence/links/new", data={
        "title": "County 200m final", "url": "https://video.example/watch?v=abc"})
    assert response.status_code == 302
    link = db.session.scalar(select(Evidence))
    assert (link.kind, link.url) == ("link", "https://video.example/watch?v=abc")


def test_edit_details(client, login, world):
    evidence = store(world.author, "plan.pdf")
    login(world.author)
    response = client.post(f"/evidence/{evidence.id}/edit", data={"title": "", "description": "x"})
    assert "Enter a title." in response.get_data(as_text=True)
    response = client.post(f"/evidence/{evidence.id}/edit",
                           data={"title": "Sprint drills plan", "description": "Week 3"})
    assert response.status_code == 302
    db.session.refresh(evidence)
    assert (evidence.title, evidence.description) == ("Sprint drills plan", "Week 3")


def test_delete_removes_row_links_and_file(client, login, world):
    evidence = store(world.author, "plan.pdf")
    entry_with(world.author, [evidence], cohort=world.cohort)
    evidence_id = evidence.id
    login(world.author)
    response = client.post(f"/evidence/{evidence_id}/delete")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Evidence, evidence_id) is None
    assert db.session.scalar(select(func.count()).select_from(EntryEvidence)) == 0
    assert files_on_disk() == []


def _reviewed(world, evidence, *, signed_off):
    entry = entry_with(world.author, [evidence], cohort=world.cohort)
    version = entry.versions[-1]
    if signed_off:
        code = competency(world.framework, "VP1")
        db.session.add(Signoff(role="coach_developer", decision="signed_off",
                               candidate_id=world.author.id, reviewer_id=world.developer.id,
                               competency_id=code.id, competency_code="VP1", entry_id=entry.id,
                               entry_version_id=version.id, version_number=version.number,
                               content_hash=version.content_hash))
    else:
        db.session.add(ReviewRequest(entry_id=entry.id, entry_version_id=version.id,
                                     candidate_id=world.author.id, cohort_id=world.cohort.id,
                                     due_on=date(2026, 11, 1)))
    db.session.commit()
    return entry


@pytest.mark.parametrize("signed_off", [False, True])
def test_evidence_a_review_refers_to_cannot_be_deleted(client, login, world, signed_off):
    evidence = store(world.author, "plan.pdf", title="Plan")
    entry = _reviewed(world, evidence, signed_off=signed_off)
    with pytest.raises(DomainError, match="submitted for review or signed off"):
        services.delete_evidence(world.author, evidence)
    db.session.rollback()
    login(world.author)
    page = client.get(f"/evidence/{evidence.id}").get_data(as_text=True)
    assert "You cannot delete this evidence" in page
    assert f"“{entry.title}”, version 1" in page
    assert "Delete evidence" not in page
    response = client.post(f"/evidence/{evidence.id}/delete", follow_redirects=True)
    assert "cannot be deleted" in response.get_data(as_text=True)
    assert db.session.get(Evidence, evidence.id) is not None
    assert files_on_disk()


def test_evidence_only_in_unreviewed_versions_can_be_deleted(app, world):
    evidence = store(world.author, "plan.pdf")
    other = store(world.author, "notes.txt")
    _reviewed(world, other, signed_off=True)
    entry_with(world.author, [evidence], cohort=world.cohort)
    services.delete_evidence(world.author, evidence)
    db.session.commit()
    assert db.session.get(Evidence, evidence.id) is None


def test_others_cannot_change_or_delete_my_evidence(client, login, world):
    evidence = store(world.author, "plan.pdf")
    entry_with(world.author, [evidence], cohort=world.cohort, privacy="cohort")
    for role in ("peer", "developer", "lead", "admin"):
        login(getattr(world, role))
        assert client.get(f"/evidence/{evidence.id}").status_code == 200
        assert client.get(f"/evidence/{evidence.id}/edit").status_code == 404
        assert client.post(f"/evidence/{evidence.id}/delete").status_code == 404
    assert db.session.get(Evidence, evidence.id) is not None


def test_archived_year_makes_evidence_read_only(client, login, world):
    evidence = store(world.author, "plan.pdf")
    world.year.status = "archived"
    db.session.commit()
    with pytest.raises(DomainError):
        services.delete_evidence(world.author, evidence)
    db.session.rollback()
    login(world.author)
    page = client.get(f"/evidence/{evidence.id}").get_data(as_text=True)
    assert "programme has ended or been archived" in page
    assert client.get(f"/evidence/{evidence.id}/download").status_code == 200
