"""Evidence rules hold when two requests land at the same moment: reviewed evidence is kept,
and the library's space is never overfilled.

The deletion checks that no review refers to a saved version listing the item, then deletes
it. A review sent between that check and the commit used to be missed: the item was deleted
from under a version under review. Each test makes the two overlap at the worst step
(tests/races.py) and checks that the deletion is refused and the item kept.
"""

from __future__ import annotations

from sqlalchemy import func, select

from portfolio.auth.models import User
from portfolio.errors import DomainError
from portfolio.evidence import services as evidence_services
from portfolio.evidence.models import Evidence
from portfolio.extensions import db
from portfolio.reviews import services as review_services
from portfolio.reviews.models import ReviewRequest, Signoff
from portfolio.reviews.services import requests as request_services
from portfolio.reviews.services import signoffs as signoff_services
from tests.factories import competency, make_entry, make_link_evidence, make_scenario
from tests.races import overlap_after


def entry_listing_evidence():
    s = make_scenario()
    s.video = make_link_evidence(s.author, title="Block start video")
    s.vp1 = competency(s.framework, "VP1")
    s.entry = make_entry(s.author, cohort=s.cohort, title="Block starts", competencies=[s.vp1],
                         evidence=[s.video])
    db.session.commit()
    return s


def deleting(author_id: int, evidence_id: int):
    def delete():
        evidence_services.delete_evidence(db.session.get(User, author_id),
                                          db.session.get(Evidence, evidence_id))
    return delete


def test_a_deletion_landing_while_the_entry_is_sent_for_review_is_refused(app, monkeypatch):
    s = entry_listing_evidence()
    video_id = s.video.id
    overlap = overlap_after(monkeypatch, request_services, "_create_request", app,
                            deleting(s.author.id, video_id))

    review_services.submit_for_review(s.entry, s.author, [s.vp1.id], "Please look.")
    db.session.commit()

    outcome, error = overlap.finish()
    assert outcome == "refused" and isinstance(error, DomainError), (outcome, error)
    assert "cannot be deleted" in error.message
    db.session.expire_all()
    assert db.session.get(Evidence, video_id) is not None
    assert db.session.scalar(select(func.count(ReviewRequest.id))) == 1


def test_a_deletion_landing_while_a_peer_signs_off_is_refused(app, monkeypatch):
    s = entry_listing_evidence()
    video_id = s.video.id
    overlap = overlap_after(monkeypatch, signoff_services, "hold_for_review", app,
                            deleting(s.author.id, video_id))

    review_services.peer_signoff(s.entry, s.peer, s.vp1.id, "Clear cues, good demo.")
    db.session.commit()

    outcome, error = overlap.finish()
    assert outcome == "refused" and isinstance(error, DomainError), (outcome, error)
    db.session.expire_all()
    assert db.session.get(Evidence, video_id) is not None
    assert db.session.scalar(select(func.count(Signoff.id))) == 1


def test_a_review_sent_while_the_deletion_decides_waits_and_finds_the_item_gone(
        app, monkeypatch):
    """The other order: the deletion decided first, so the review waits for it and goes on
    with the version as it is (its list names an item no longer there), as if sent after."""
    s = entry_listing_evidence()
    video_id, entry_id, author_id, vp1_id = s.video.id, s.entry.id, s.author.id, s.vp1.id

    def send():
        from portfolio.entries.models import Entry
        return review_services.submit_for_review(
            db.session.get(Entry, entry_id), db.session.get(User, author_id), [vp1_id],
            "Please look.").id

    overlap = overlap_after(monkeypatch, evidence_services.queries, "reviewed_versions_listing",
                            app, send)

    evidence_services.delete_evidence(s.author, s.video)
    db.session.commit()

    outcome, request_id = overlap.finish()
    assert outcome == "done", request_id
    db.session.expire_all()
    assert db.session.get(Evidence, video_id) is None
    assert db.session.get(ReviewRequest, request_id) is not None


def test_two_files_arriving_at_once_cannot_both_fill_the_last_space(app, monkeypatch):
    """Each file fits the space left; both together do not. The second to finish is refused
    (it used to read the space used before the first was stored, and both were kept)."""
    from tests.evidence.builders import pdf_bytes, upload

    s = make_scenario()
    db.session.commit()
    first, second = pdf_bytes("first plan " * 40), pdf_bytes("second plan " * 40)
    app.config["UPLOAD_MAX_CANDIDATE_BYTES"] = len(first) + len(second) - 1
    author_id = s.author.id

    def upload_the_other():
        return evidence_services.upload_file(db.session.get(User, author_id),
                                             upload("second.pdf", second)).evidence.id

    overlap = overlap_after(monkeypatch, evidence_services, "_check_quota", app,
                            upload_the_other)
    try:
        evidence_services.upload_file(s.author, upload("first.pdf", first))
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        assert "library is full" in error.message
        assert overlap.finish()[0] == "done"
    else:
        outcome, error = overlap.finish()
        assert outcome == "refused" and "library is full" in error.message, (outcome, error)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Evidence.id))) == 1
