"""A reviewer's or peer's words survive an expired form token or an ended session: the text is
kept on the server and put back into the box it was written in, once, for its writer only."""

import re

from portfolio.entries.rescue import owner_hint, read_owner_hint
from portfolio.extensions import db
from portfolio.reviews.models import Comment
from tests.factories import csrf_token_from, sign_in
from tests.reviews.builders import scenario_with_entry

WORDS = "Try a partner-resisted start; the cue worked for two of the four."


def setup(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    ctx = app.app_context()
    ctx.push()
    s = scenario_with_entry()
    db.session.commit()
    return app, ctx, s


def comment_count(entry_id) -> int:
    db.session.expire_all()
    return db.session.query(Comment).filter_by(entry_id=entry_id).count()


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def test_an_expired_token_puts_the_comment_back_in_its_box_once(make_app):
    app, ctx, s = setup(make_app)
    try:
        client = sign_in(app.test_client(), s.peer)
        entry_page = f"/portfolio/entries/{s.entry.id}"
        html = client.get(entry_page).get_data(as_text=True)
        form = {"comment-body": WORDS, "csrf_token": csrf_token_from(html),
                "keep_owner": hidden(html, "keep_owner")}
        with client.session_transaction() as session:
            session["csrf_token"] = "a-different-session-secret"  # the token has expired

        answer = client.post(f"/reviews/entries/{s.entry.id}/comments", data=form,
                             headers={"Referer": f"http://localhost{entry_page}"})

        assert answer.status_code == 303 and answer.location.endswith(entry_page)
        again = client.get(entry_page).get_data(as_text=True)
        assert WORDS in again and "Your text is back in the box" in again
        assert WORDS not in client.get(entry_page).get_data(as_text=True)  # put back once
        assert comment_count(s.entry.id) == 0  # nothing was sent without a valid token
    finally:
        ctx.pop()


def test_text_sent_after_the_session_ended_is_back_after_signing_in(make_app):
    app, ctx, s = setup(make_app)
    try:
        entry_page = f"/portfolio/entries/{s.entry.id}"
        signed_out = app.test_client()
        answer = signed_out.post(
            f"/reviews/entries/{s.entry.id}/comments",
            data={"comment-body": WORDS, "csrf_token": "from-the-old-session",
                  "keep_owner": owner_hint(s.peer.id)},
            headers={"Referer": f"http://localhost{entry_page}"})

        assert answer.status_code == 303 and "/account/login" in answer.location
        sign_in(signed_out, s.peer)
        assert WORDS in signed_out.get(entry_page).get_data(as_text=True)
    finally:
        ctx.pop()


def test_text_is_never_put_back_for_someone_else(make_app):
    app, ctx, s = setup(make_app)
    try:
        entry_page = f"/portfolio/entries/{s.entry.id}"
        browser = app.test_client()
        browser.post(f"/reviews/entries/{s.entry.id}/comments",
                     data={"comment-body": WORDS, "csrf_token": "old", "keep_owner": owner_hint(s.peer.id)},
                     headers={"Referer": f"http://localhost{entry_page}"})
        sign_in(browser, s.developer)  # someone else signs in on the same computer
        assert WORDS not in browser.get(entry_page).get_data(as_text=True)

        forged = sign_in(app.test_client(), s.developer)
        refused = forged.post(f"/reviews/entries/{s.entry.id}/comments",
                              data={"comment-body": WORDS, "csrf_token": "old",
                                    "keep_owner": owner_hint(s.peer.id)},
                              headers={"Referer": f"http://localhost{entry_page}"})
        assert refused.status_code == 400  # a hint for another account keeps nothing
    finally:
        ctx.pop()


def test_every_text_box_on_a_page_carries_its_readers_own_owner_hint(make_app):
    app, ctx, s = setup(make_app)
    try:
        pages = {}
        for person in (s.peer, s.author):
            client = sign_in(app.test_client(), person)
            html = client.get(f"/portfolio/entries/{s.entry.id}").get_data(as_text=True)
            pages[person.id] = re.findall(r'name="keep_owner" value="([^"]+)"', html)
        for person_id, hints in pages.items():
            assert len(hints) >= 2 and len(set(hints)) == 1  # signed once, in every box
            assert read_owner_hint(hints[0]) == person_id
        assert pages[s.peer.id][0] != pages[s.author.id][0]
    finally:
        ctx.pop()
