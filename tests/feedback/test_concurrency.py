"""Two submissions through one link at the same moment (threads behind a barrier, a live
threaded server, no sign-in): exactly one feedback is stored, the other submission gets the
"already used" page, never a 500. On SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from portfolio.extensions import db
from portfolio.feedback.models import ExternalFeedback, FeedbackRequest
from tests.factories import make_scenario
from tests.feedback.builders import ask
from tests.live import Browser, together


def test_a_link_used_twice_at_once_stores_one_feedback(app, live_site):
    s = make_scenario()
    request, token = ask(s)
    db.session.commit()
    visitors = [Browser(live_site.url) for _ in range(2)]
    answers = together(2, lambda n: visitors[n].post(f"/f/{token}", {
        "went_well": f"Went well, from tab {n}", "could_be_better": "", "giver_role": "",
        "comments": ""}))
    statuses = sorted(getattr(answer, "status", answer) for answer in answers)
    assert statuses == [200, 410], answers
    used = next(answer for answer in answers if answer.status == 410)
    assert "already been used" in used.text
    db.session.expire_all()
    stored = db.session.scalars(select(ExternalFeedback)).all()
    winner = next(n for n, answer in enumerate(answers) if answer.status == 200)
    assert [item.went_well for item in stored] == [f"Went well, from tab {winner}"]
    assert db.session.get(FeedbackRequest, request.id).used_at is not None


def test_withdrawing_while_the_person_submits_leaves_one_outcome(app, live_site):
    s = make_scenario()
    request, token = ask(s)
    db.session.commit()
    candidate, visitor = live_site.browser_for(s.author), Browser(live_site.url)
    withdraw_url = f"/feedback/{request.id}/withdraw"
    actions = [lambda: candidate.post(withdraw_url, {}),
               lambda: visitor.post(f"/f/{token}", {"went_well": "Good", "could_be_better": "",
                                                     "giver_role": "", "comments": ""})]
    answers = together(2, lambda n: actions[n]())
    assert all(getattr(answer, "status", 500) < 500 for answer in answers), answers
    db.session.expire_all()
    row = db.session.get(FeedbackRequest, request.id)
    given = db.session.scalar(select(func.count()).select_from(ExternalFeedback))
    # Either the feedback arrived (and the request was not withdrawn) or the request was
    # withdrawn (and no feedback was stored): never both, never neither.
    assert (row.used_at is not None, row.withdrawn_at is not None, given) in (
        (True, False, 1), (False, True, 0))
