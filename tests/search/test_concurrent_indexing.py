"""Writes that overlap keep the index whole: two tabs editing one comment at the same moment
both succeed (no 500 from the index's unique row), and the row ends with the text the comment
ends with; comments posted at once on one entry are each found. Run against a live threaded
server, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from portfolio.extensions import db
from portfolio.reviews import services
from portfolio.reviews.models import Comment
from portfolio.search.models import SearchDocument
from tests.factories import make_entry, make_scenario
from tests.live import together


def test_one_comment_edited_in_eight_tabs_at_once(app, live_site):
    s = make_scenario()
    entry = make_entry(s.author, cohort=s.cohort, privacy="developers", title="Block starts")
    comment = services.add_comment(entry, s.developer, "First thoughts.")
    db.session.commit()
    browsers = [live_site.browser_for(s.developer) for _ in range(8)]
    url = f"/reviews/comments/{comment.id}/edit"  # read here: threads have no app context
    answers = together(8, lambda n: browsers[n].post(
        url, {"body": f"Edited in tab {n} about pacing"}))
    assert [getattr(answer, "status", answer) for answer in answers] == [302] * 8
    db.session.expire_all()
    final = db.session.get(Comment, comment.id).body
    row = db.session.scalar(select(SearchDocument).where(SearchDocument.kind == "comment",
                                                         SearchDocument.ref_id == comment.id))
    assert row is not None and row.body == final


def test_comments_posted_at_once_are_each_indexed(app, live_site):
    s = make_scenario()
    entry = make_entry(s.author, cohort=s.cohort, privacy="cohort", title="Relay")
    db.session.commit()
    people = [s.developer, s.peer, s.outsider, s.author]
    browsers = [live_site.browser_for(person) for person in people]
    url = f"/reviews/entries/{entry.id}/comments"
    answers = together(4, lambda n: browsers[n].post(url, {
        "comment-body": f"Baton note number{n}", "comment-submission_key": f"form-{n}"}))
    assert [getattr(answer, "status", answer) for answer in answers] == [302] * 4
    db.session.expire_all()
    bodies = set(db.session.scalars(select(SearchDocument.body).where(
        SearchDocument.kind == "comment", SearchDocument.entry_id == entry.id)))
    assert bodies == {f"Baton note number{n}" for n in range(4)}
