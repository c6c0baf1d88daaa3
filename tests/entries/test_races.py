"""An entry deleted in one tab while it is sent for review in another: the review is never
lost with it. Either the request lands first and the deletion is refused (the entry is part of
the record), or the deletion lands first and the request finds no entry."""

from __future__ import annotations

from sqlalchemy import func, select

from portfolio.auth.models import User
from portfolio.entries import services as entry_services
from portfolio.entries.models import Entry
from portfolio.extensions import db
from portfolio.reviews import services as review_services
from portfolio.reviews.models import ReviewRequest
from tests.races import overlap_after
from tests.reviews.builders import scenario_with_entry


def test_a_request_sent_while_the_entry_is_deleted_is_not_lost_with_it(app, monkeypatch):
    s = scenario_with_entry()
    entry_id, author_id, vp1 = s.entry.id, s.author.id, s.competencies["VP1"].id

    def send_for_review():
        return review_services.submit_for_review(
            db.session.get(Entry, entry_id), db.session.get(User, author_id), [vp1],
            "Please look.").id

    overlap = overlap_after(monkeypatch, entry_services, "record", app, send_for_review)
    entry_services.delete_entry(s.entry, s.author)
    db.session.commit()

    outcome, _ = overlap.finish()
    db.session.expire_all()
    requests = db.session.scalar(select(func.count(ReviewRequest.id)))
    assert db.session.get(Entry, entry_id) is None
    assert outcome == "refused" and requests == 0, (outcome, requests)
