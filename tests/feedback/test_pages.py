"""The candidate's pages and the page a link opens: asking, giving once, what the person sees
(one session, nothing else of the portfolio), and the testimony in the portfolio."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portfolio.database import utcnow
from portfolio.extensions import db
from portfolio.feedback import services
from portfolio.feedback.models import ExternalFeedback, FeedbackRequest
from portfolio.mail.models import OutboxMessage
from tests.factories import make_entry, make_scenario
from tests.feedback.builders import ANSWERS, answered, ask, session_entry

GIVE = {"went_well": "Warm-up was brisk", "could_be_better": "Longer recoveries",
        "giver_role": "Head coach", "comments": ""}


def test_the_candidate_asks_through_the_form_and_the_person_is_mailed(app, client, login):
    s = make_scenario()
    entry = session_entry(s)
    db.session.commit()
    login(s.author)
    page = client.get("/feedback/ask")
    assert page.status_code == 200 and entry.title in page.get_data(as_text=True)
    answer = client.post("/feedback/ask", data={
        "entry_id": str(entry.id), "question": "Was my pacing right?",
        "recipient_name": "Hana Headcoach", "recipient_email": "Hana@Club.example",
        "relationship": "head_coach"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/feedback/"
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.to_address == "hana@club.example"))
    assert "/f/" in message.body_text and entry.title in message.body_text
    listing = client.get("/feedback/").get_data(as_text=True)
    assert "Waiting" in listing and "Hana Headcoach" in listing


def test_a_form_with_problems_keeps_what_was_typed_and_says_where(app, client, login):
    s = make_scenario()
    db.session.commit()
    login(s.author)
    answer = client.post("/feedback/ask", data={
        "session_title": "", "recipient_name": "Hana", "recipient_email": "not-an-address",
        "relationship": "mentor", "question": "Kept question"})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "There is a problem" in text
    assert "Kept question" in text and "Enter a title for the session." in text
    assert db.session.scalar(select(func.count()).select_from(FeedbackRequest)) == 0


def test_the_link_shows_only_the_session_asked_about(app, client):
    s = make_scenario()
    make_entry(s.author, cohort=s.cohort, privacy="peers", title="Secret other session",
               sections={"what": "Private words about Sam's injury", "so_what": "", "now_what": ""})
    _, token = ask(s, question="Did the warm-up work?")
    db.session.commit()
    page = client.get(f"/f/{token}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Relay changeovers" in text and "Did the warm-up work?" in text
    for leak in ("Secret other session", "Private words", "Aisha Author", "Pat Peer",
                 "Dev Eloper", 'href="/feedback', 'href="/entries', 'href="/"', "Sign out"):
        assert leak not in text, leak
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in page.headers["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in text


def test_a_signed_in_stranger_gets_the_same_bare_page(app, client, login):
    s = make_scenario()
    _, token = ask(s)
    db.session.commit()
    login(s.other_candidate)
    text = client.get(f"/f/{token}").get_data(as_text=True)
    assert "Relay changeovers" in text and "Sign out" not in text and "Cora" not in text


def test_the_link_is_used_once_then_answers_already_used(app, client):
    s = make_scenario()
    _, token = ask(s)
    db.session.commit()
    first = client.post(f"/f/{token}", data=GIVE)
    assert first.status_code == 200 and "Thank you" in first.get_data(as_text=True)
    again = client.post(f"/f/{token}", data=GIVE | {"went_well": "Second try"})
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)
    assert client.get(f"/f/{token}").status_code == 410
    assert db.session.scalar(select(func.count()).select_from(ExternalFeedback)) == 1
    assert db.session.scalar(select(ExternalFeedback.went_well)) == "Warm-up was brisk"


def test_an_empty_answer_is_refused_and_the_link_still_works(app, client):
    s = make_scenario()
    _, token = ask(s)
    db.session.commit()
    answer = client.post(f"/f/{token}", data={"went_well": "", "could_be_better": "",
                                              "giver_role": "Parent", "comments": ""})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "There is a problem" in text and 'value="Parent"' in text
    assert client.get(f"/f/{token}").status_code == 200


def test_expired_withdrawn_unknown_and_malformed_links_answer_the_same_404(app, client):
    s = make_scenario()
    expired, expired_token = ask(s)
    expired.expires_at = utcnow() - timedelta(minutes=1)
    withdrawn, withdrawn_token = ask(s, email="other@club.example")
    services.withdraw_request(withdrawn, s.author)
    db.session.commit()
    bodies = set()
    for token in (expired_token, withdrawn_token, "B" * 43, "bad", "A" * 44):
        for method in ("get", "post"):
            answer = getattr(client, method)(f"/f/{token}", data=GIVE if method == "post"
                                             else None)
            assert answer.status_code == 404, (token, method)
            bodies.add(answer.get_data(as_text=True))
    assert len(bodies) == 1
    assert db.session.scalar(select(func.count()).select_from(ExternalFeedback)) == 0


def test_the_candidate_withdraws_an_unused_request_from_the_list(app, client, login):
    s = make_scenario()
    request, token = ask(s)
    db.session.commit()
    login(s.author)
    answer = client.post(f"/feedback/{request.id}/withdraw")
    assert answer.status_code == 302
    assert "Withdrawn" in client.get("/feedback/").get_data(as_text=True)
    assert client.get(f"/f/{token}").status_code == 404


def test_feedback_is_testimony_the_candidate_cannot_edit(app, client, login):
    s = make_scenario()
    request, _ = ask(s)
    services.give_feedback(request, **(ANSWERS | {"comments": "<script>alert(1)</script>"}))
    db.session.commit()
    login(s.author)
    text = client.get(f"/feedback/{request.id}").get_data(as_text=True)
    assert "External testimony" in text and "Not a sign-off" in text
    assert "coach@club.example" in text and ANSWERS["went_well"] in text
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text
    assert "<textarea" not in text  # nothing of the feedback is editable


def test_readers_follow_the_cohort_and_the_candidates_sharing(app, client, login):
    s = make_scenario()
    request, _ = answered(s)
    db.session.commit()
    url = f"/feedback/{request.id}"
    for reader, status in ((s.developer, 200), (s.peer, 404), (s.outsider, 404),
                           (s.other_developer, 404), (s.stranger, 404)):
        login(reader)
        assert client.get(url).status_code == status, reader.display_name
    login(s.developer)
    assert ANSWERS["went_well"] in client.get(
        f"/feedback/people/{s.author.id}").get_data(as_text=True)
    login(s.author)
    assert client.post(f"{url}/sharing", data={"with_peers": "y"}).status_code == 302
    login(s.peer)
    assert client.get(url).status_code == 200
    login(s.outsider)
    assert client.get(url).status_code == 404
    assert client.get(f"/feedback/people/{s.author.id}").status_code == 404


def _statements(client, url) -> tuple[int, int]:
    from sqlalchemy import event

    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        status = client.get(url).status_code
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return status, len(statements)


def test_the_lists_cost_the_same_statements_for_two_or_eight_requests(app, client, login):
    s = make_scenario()
    app.config["FEEDBACK_REQUESTS_PER_DAY"] = 20
    for number in range(2):
        answered(s, email=f"a{number}@club.example")
    db.session.commit()
    pages = ("/feedback/", f"/feedback/people/{s.author.id}")
    login(s.author)
    few = [_statements(client, url) for url in pages]
    login(s.developer)
    few.append(_statements(client, pages[1]))
    for number in range(2, 8):
        answered(s, email=f"a{number}@club.example")
    db.session.commit()
    login(s.author)
    many = [_statements(client, url) for url in pages]
    login(s.developer)
    many.append(_statements(client, pages[1]))
    assert all(status == 200 for status, _ in few + many)
    assert [count for _, count in many] == [count for _, count in few]
