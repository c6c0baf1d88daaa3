"""A double click, a retried send, several tabs: review writes that arrive together, live.

Each test releases its requests together through a barrier against a threaded live server.
Exactly one request takes effect; every other one gets the page it expects ("already sent",
"already signed off", "already recorded"), never a 500 and never a duplicate row.
"""

from sqlalchemy import func, select

from portfolio.audit.models import AuditEvent
from portfolio.extensions import db
from portfolio.notifications.models import Notification
from portfolio.reviews import services
from portfolio.reviews.models import Comment, ReviewRequest, Signoff
from tests.live import Browser, hidden_value, together
from tests.reviews.builders import decision_form, scenario_with_entry, submit


def count(statement) -> int:
    db.session.expire_all()
    return db.session.scalar(statement)


def assert_no_server_error(answers):
    problems = [a if isinstance(a, Exception) else (a.status, a.text[:300])
                for a in answers if isinstance(a, Exception) or a.status >= 500]
    assert not problems, problems


def follow(browser: Browser, answer) -> str:
    """The page the redirect leads to (where the flashed message is shown)."""
    assert answer.status in (302, 303), (answer.status, answer.text[:300])
    return browser.get(answer.location).text


def post_together(browsers, path, data):
    return together(len(browsers), lambda n: browsers[n].post(path, data))


def test_six_sends_for_review_at_once_make_one_request_and_one_notification(live_site):
    s = scenario_with_entry()
    browsers = [live_site.browser_for(s.author) for _ in range(6)]
    data = {"review-competencies": [str(s.competencies["VP1"].id)],
            "review-message": "Please look at the cues."}

    answers = post_together(browsers, f"/reviews/entries/{s.entry.id}/review-requests", data)

    assert_no_server_error(answers)
    assert [a.status for a in answers] == [302] * 6, [(a.status, a.text[:200]) for a in answers]
    assert count(select(func.count(ReviewRequest.id))) == 1
    assert count(select(func.count(Notification.id)).where(
        Notification.kind == "review_requested")) == 1
    assert count(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "review.requested")) == 1
    request_id = db.session.scalar(select(ReviewRequest.id))
    winners = [a for a in answers if a.location.endswith(f"/reviews/requests/{request_id}")]
    assert len(winners) == 1
    for browser, answer in zip(browsers, answers, strict=True):
        if answer is not winners[0]:
            assert answer.location.endswith(f"/portfolio/entries/{s.entry.id}")
            assert "already been sent for review" in follow(browser, answer)


def test_ten_identical_peer_sign_offs_record_once(live_site):
    s = scenario_with_entry()
    browsers = [live_site.browser_for(s.peer) for _ in range(10)]
    data = {"peer-competency": str(s.competencies["VP1"].id), "peer-note": "Seen it work."}

    answers = post_together(browsers, f"/reviews/entries/{s.entry.id}/peer-signoffs", data)

    assert_no_server_error(answers)
    assert [a.status for a in answers] == [302] * 10, [(a.status, a.text[:200]) for a in answers]
    assert count(select(func.count(Signoff.id))) == 1
    assert count(select(func.count(Notification.id)).where(
        Notification.kind == "peer_signoff")) == 1
    pages = [follow(browser, answer) for browser, answer in zip(browsers, answers, strict=True)]
    assert sum("You signed off VP1 on version 1" in page for page in pages) == 1
    assert sum("already signed off VP1 on version 1" in page for page in pages) == 9


def test_a_coach_developers_decision_sent_six_times_records_once(live_site):
    s = scenario_with_entry()
    review_request = submit(s)
    services.start_review(review_request, s.developer)
    db.session.commit()
    form = decision_form(s, review_request, {"VP1": ("signed_off", "Crisp cues."),
                                             "VP2": ("not_yet", "Add a target.")})
    browsers = [live_site.browser_for(s.developer) for _ in range(6)]

    answers = post_together(browsers, f"/reviews/requests/{review_request.id}/decision", form)

    assert_no_server_error(answers)
    assert [a.status for a in answers] == [302] * 6, [(a.status, a.text[:200]) for a in answers]
    assert count(select(func.count(Signoff.id))) == 2
    assert count(select(func.count(Notification.id)).where(
        Notification.kind == "review_done")) == 1
    pages = [follow(browser, answer) for browser, answer in zip(browsers, answers, strict=True)]
    assert sum("Your decisions have been recorded." in page for page in pages) == 1
    assert sum("already recorded" in page for page in pages) == 5


def test_withdraw_and_start_clicked_several_times_act_once(live_site):
    s = scenario_with_entry()
    review_request = submit(s)
    authors = [live_site.browser_for(s.author) for _ in range(4)]

    answers = post_together(authors, f"/reviews/requests/{review_request.id}/withdraw", {})

    assert_no_server_error(answers)
    assert [a.status for a in answers] == [302] * 4
    assert count(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "review.withdrawn")) == 1
    pages = [follow(browser, answer) for browser, answer in zip(authors, answers, strict=True)]
    assert all("withdrawn" in page for page in pages)
    assert not any("while you were withdrawing" in page for page in pages)

    second = submit(s)
    developers = [live_site.browser_for(s.developer) for _ in range(4)]
    answers = post_together(developers, f"/reviews/requests/{second.id}/start", {})
    assert_no_server_error(answers)
    assert [a.status for a in answers] == [302] * 4
    db.session.expire_all()
    assert db.session.get(ReviewRequest, second.id).status == "in_review"



def test_a_revocation_sent_four_times_is_recorded_once(live_site):
    from portfolio.reviews.models import SignoffRevocation

    s = scenario_with_entry()
    signoff = services.peer_signoff(s.entry, s.peer, s.competencies["VP1"].id, "Seen it.")
    db.session.commit()
    browsers = [live_site.browser_for(s.lead) for _ in range(4)]

    answers = post_together(browsers, f"/reviews/signoffs/{signoff.id}/revoke",
                            {"reason": "Signed on the wrong entry."})

    assert_no_server_error(answers)
    assert count(select(func.count(SignoffRevocation.id))) == 1
    assert count(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "signoff.revoked")) == 1


def test_programme_completion_sent_four_times_is_recorded_once(live_site):
    from portfolio.reviews.models import ProgrammeCompletion
    from tests.reviews.test_signoffs import _complete_everything

    s = scenario_with_entry()
    _complete_everything(s)
    browsers = [live_site.browser_for(s.lead) for _ in range(4)]
    url = f"/reviews/cohorts/{s.cohort.id}/candidates/{s.author.id}/completion"

    answers = post_together(browsers, url, {"note": "Final panel 12 June."})

    assert_no_server_error(answers)
    assert [a.status for a in answers] == [302] * 4
    assert count(select(func.count(ProgrammeCompletion.id))) == 1
    assert count(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "programme.completed")) == 1


def test_a_comment_form_sent_six_times_at_once_posts_once(live_site):
    s = scenario_with_entry()
    browsers = [live_site.browser_for(s.peer) for _ in range(6)]
    page = browsers[0].get(f"/portfolio/entries/{s.entry.id}").text
    comment_key = hidden_value(page, "comment-submission_key")
    feedback_key = hidden_value(page, "feedback-submission_key")
    assert comment_key and feedback_key and comment_key != feedback_key

    answers = post_together(browsers, f"/reviews/entries/{s.entry.id}/comments", {
        "comment-body": "Lovely cue words.", "comment-submission_key": comment_key})
    answers += post_together(browsers, f"/reviews/entries/{s.entry.id}/feedback", {
        "feedback-what_worked": "The cues.", "feedback-what_to_try": "Shorter reps.",
        "feedback-submission_key": feedback_key})

    assert_no_server_error(answers)
    assert [a.status for a in answers] == [302] * 12
    assert count(select(func.count(Comment.id))) == 2
    assert count(select(func.count(Notification.id)).where(
        Notification.kind == "comment")) == 2
