"""Comments: the entry's audience exactly, sanitised Markdown, one level of replies,
15-minute edits, removal that shows as removed, and structured peer feedback."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portfolio.database import utcnow
from portfolio.errors import DomainError
from portfolio.extensions import db
from portfolio.notifications.models import Notification
from portfolio.reviews import services
from portfolio.reviews.models import Comment
from tests.reviews.builders import render_panel, scenario_with_entry


def _comments() -> int:
    return db.session.scalar(select(func.count(Comment.id)))


@pytest.mark.parametrize("privacy, audience", [
    ("peers", {"author", "peer", "developer", "lead", "admin"}),
    ("developers", {"author", "developer", "lead", "admin"}),
    ("cohort", {"author", "peer", "outsider", "developer", "lead", "admin"}),
    ("private", {"author"}),
])
def test_comments_are_for_exactly_the_entrys_audience(app, privacy, audience):
    s = scenario_with_entry(privacy=privacy)
    if privacy != "private":
        services.add_comment(s.entry, s.developer, "Visible to the audience only.")
        db.session.commit()
    for role in ("author", "peer", "outsider", "developer", "other_developer",
                 "other_candidate", "lead", "admin", "stranger"):
        panel = render_panel(app, s.entry, getattr(s, role))
        assert (panel is not None) == (role in audience), role
        client = app.test_client()
        from tests.factories import sign_in

        sign_in(client, getattr(s, role))
        response = client.post(f"/reviews/entries/{s.entry.id}/comments",
                               data={"comment-body": f"From {role}"})
        assert response.status_code == (302 if role in audience else 404), role


def test_markdown_is_sanitised_and_replies_stay_one_level(app, client, login):
    s = scenario_with_entry()
    top = services.add_comment(s.entry, s.peer,
                               "**Great** cue. <script>alert(1)</script> [x](javascript:evil)")
    reply = services.add_comment(s.entry, s.author, "Thanks!", top)
    reply_to_reply = services.add_comment(s.entry, s.developer, "Agreed.", reply)
    db.session.commit()
    assert reply.parent_id == top.id and reply_to_reply.parent_id == top.id
    panel = render_panel(app, s.entry, s.developer)
    assert "<strong>Great</strong>" in panel
    assert "<script>alert" not in panel and "javascript:evil" not in panel
    assert panel.count('class="comments comments--replies"') == 1


def test_the_author_may_edit_within_fifteen_minutes(app, client, login):
    s = scenario_with_entry()
    comment = services.add_comment(s.entry, s.peer, "Frist thought.")
    db.session.commit()
    login(s.peer)
    response = client.post(f"/reviews/comments/{comment.id}/edit", data={"body": "First thought."})
    assert response.status_code == 302
    db.session.expire_all()
    assert comment.body == "First thought." and comment.edited_at is not None

    comment.created_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    page = client.get(f"/reviews/comments/{comment.id}/edit").get_data(as_text=True)
    assert "can only be changed within 15 minutes" in page
    client.post(f"/reviews/comments/{comment.id}/edit", data={"body": "Sneaky change."})
    db.session.expire_all()
    assert comment.body == "First thought."
    with pytest.raises(DomainError, match="within 15 minutes"):
        services.edit_comment(comment, s.peer, body="Sneaky change.")
    login(s.author)
    assert client.get(f"/reviews/comments/{comment.id}/edit").status_code == 404


def test_removing_a_comment_deletes_its_text_and_shows_it_was_removed(app, client, login):
    s = scenario_with_entry()
    comment = services.add_comment(s.entry, s.peer, "Something I regret.")
    services.add_comment(s.entry, s.author, "A reply that stays.", comment)
    db.session.commit()
    login(s.author)  # not the comment's author, and not a manager
    assert client.post(f"/reviews/comments/{comment.id}/remove").status_code == 404
    login(s.peer)
    assert client.post(f"/reviews/comments/{comment.id}/remove").status_code == 302
    db.session.expire_all()
    assert comment.removed_at is not None and comment.body == ""
    panel = render_panel(app, s.entry, s.author)
    assert "Comment removed" in panel and "Something I regret." not in panel
    assert "A reply that stays." in panel
    with pytest.raises(DomainError, match="removed"):
        services.add_comment(s.entry, s.author, "Reply to nothing", comment)


def test_structured_peer_feedback(app, client, login):
    s = scenario_with_entry()
    login(s.peer)
    response = client.post(f"/reviews/entries/{s.entry.id}/feedback", data={
        "feedback-what_worked": "", "feedback-what_to_try": "Film the starts.",
        "feedback-question": "Which cue did the athletes prefer?"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Say what worked." in page and "Film the starts." in page
    response = client.post(f"/reviews/entries/{s.entry.id}/feedback", data={
        "feedback-what_worked": "The reaction games.", "feedback-what_to_try": "Film the starts.",
        "feedback-question": ""})
    assert response.status_code == 302
    feedback = db.session.scalar(select(Comment))
    assert feedback.kind == "peer_feedback" and feedback.what_worked == "The reaction games."
    panel = render_panel(app, s.entry, s.author)
    assert "What worked" in panel and "The reaction games." in panel
    assert "Give structured peer feedback" not in panel  # not on your own entry
    login(s.author)
    response = client.post(f"/reviews/entries/{s.entry.id}/feedback", data={
        "feedback-what_worked": "Me", "feedback-what_to_try": "Me"})
    assert response.status_code == 404


def test_a_repeated_post_makes_one_comment_and_long_text_is_kept(app, client, login):
    s = scenario_with_entry()
    login(s.peer)
    for _ in range(2):
        assert client.post(f"/reviews/entries/{s.entry.id}/comments",
                           data={"comment-body": "Double click."}).status_code == 302
    assert _comments() == 1
    long_text = "A thought. " * 600
    response = client.post(f"/reviews/entries/{s.entry.id}/comments",
                           data={"comment-body": long_text})
    assert response.status_code == 400
    assert "5,000 characters" in response.get_data(as_text=True)
    assert "A thought. A thought." in response.get_data(as_text=True)
    assert _comments() == 1


def test_comment_notifications_go_to_the_author_and_the_thread(app):
    s = scenario_with_entry()
    top = services.add_comment(s.entry, s.peer, "Question about the drills.")
    services.add_comment(s.entry, s.developer, "Good question.", top)
    services.add_comment(s.entry, s.author, "My own note.")
    db.session.commit()
    rows = db.session.execute(select(Notification.user_id, Notification.kind)
                              .order_by(Notification.id)).all()
    assert rows == [(s.author.id, "comment"), (s.peer.id, "reply"), (s.author.id, "reply")]


def test_one_comment_form_posts_once_but_changed_text_from_it_posts_again(app, login):
    s = scenario_with_entry()
    client = login(s.peer, on=app.test_client())
    url = f"/reviews/entries/{s.entry.id}/comments"
    data = {"comment-body": "Lovely cue words.", "comment-submission_key": "one-page-view"}
    services.add_comment(s.entry, s.peer, "Lovely cue words.", form_key="one-page-view",
                         at=utcnow() - timedelta(minutes=10))  # past the repeat window
    db.session.commit()
    # The database refuses the same form's second copy; its sender lands on the thread.
    response = client.post(url, data=data, follow_redirects=True)
    assert response.status_code == 200 and _comments() == 1
    assert "Your comment was already posted." in response.get_data(as_text=True)
    # Going back and writing something else on the same page is a new comment.
    client.post(url, data={**data, "comment-body": "And the arm drive."})
    assert _comments() == 2
