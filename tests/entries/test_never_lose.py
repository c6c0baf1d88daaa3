"""An entry survives session expiry, form-token expiry, an over-limit post and a conflict."""

import re

from sqlalchemy import func, select

from portfolio.auth.models import User
from portfolio.entries.models import DraftRescue, Entry
from portfolio.extensions import db
from tests.entries.builders import form_fields
from tests.factories import PASSWORD, csrf_token_from, make_entry, make_scenario, sign_in

WORDS = "Two hours of careful writing about the relay changeover."


def sign_in_with_password(client, user, login_url="/account/login"):
    response = client.post(login_url, data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def end_sessions_of(user):
    """What happens when the session expires or the author signs out elsewhere."""
    db.session.get(User, user.id).end_all_sessions()
    db.session.commit()


def stored(entry):
    db.session.expire_all()
    return db.session.get(Entry, entry.id)


def test_text_posted_after_the_session_ended_is_saved_after_signing_in(app, world):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    edit = f"/portfolio/entries/{entry.id}/edit"
    client = app.test_client()
    sign_in_with_password(client, world.author)
    assert client.get(edit).status_code == 200
    end_sessions_of(world.author)

    response = client.post(edit, data=form_fields(entry, sections={"what": WORDS}))
    login_url = response.headers["Location"]
    assert response.status_code == 302
    assert "/account/login" in login_url and "next=" in login_url
    assert stored(entry).sections["what"] != WORDS  # not written by a signed-out request

    back = sign_in_with_password(client, world.author, login_url)
    assert back.headers["Location"].endswith(edit)
    response = client.get(edit, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "saved into your draft" in page and WORDS in page
    assert stored(entry).sections["what"] == WORDS
    assert db.session.scalar(select(func.count()).select_from(DraftRescue)) == 0


def test_a_new_entry_written_while_signed_out_becomes_a_draft(app, world):
    client = app.test_client()
    sign_in_with_password(client, world.author)
    page = client.get("/portfolio/entries/new?model=what_so_what").get_data(as_text=True)
    owner_token = re.search(r'name="owner"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="owner"', page)
    end_sessions_of(world.author)
    data = form_fields(owner=world.author, owner_token=owner_token.group(1),
                       sections={"what": WORDS})
    assert "/account/login" in client.post("/portfolio/entries/new?model=what_so_what",
                                           data=data).headers["Location"]
    sign_in_with_password(client, world.author)
    response = client.get("/portfolio/entries/new?model=what_so_what")
    [entry] = db.session.scalars(select(Entry).where(Entry.owner_id == world.author.id)).all()
    assert response.headers["Location"].endswith(f"/portfolio/entries/{entry.id}/edit")
    assert entry.sections["what"] == WORDS and entry.status == "draft"


def test_someone_else_signing_in_on_that_browser_never_gets_the_text(app, world):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    client = app.test_client()
    client.post(f"/portfolio/entries/{entry.id}/edit", data=form_fields(
        entry, sections={"what": WORDS}))
    sign_in_with_password(client, world.peer)
    page = client.get("/portfolio/", follow_redirects=True).get_data(as_text=True)
    assert WORDS not in page and "waiting to be saved" not in page
    assert db.session.scalar(select(func.count()).select_from(DraftRescue)) == 0
    assert client.get(f"/portfolio/entries/{entry.id}/edit").status_code == 404


def test_the_portfolio_home_points_to_kept_text(app, world):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    client = app.test_client()
    client.post(f"/portfolio/entries/{entry.id}/autosave",
                data=form_fields(entry, sections={"what": WORDS}))
    sign_in_with_password(client, world.author)
    page = client.get("/portfolio/").get_data(as_text=True)
    assert "waiting to be saved" in page and f"/portfolio/entries/{entry.id}/edit" in page


def test_an_expired_form_token_shows_the_text_again_with_a_fresh_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        world = make_scenario()
        entry = make_entry(world.author, cohort=world.cohort)
        db.session.commit()
        client = sign_in(app.test_client(), world.author)
        edit = f"/portfolio/entries/{entry.id}/edit"
        old_token = csrf_token_from(client.get(edit).get_data(as_text=True))
        with client.session_transaction() as session:
            session["csrf_token"] = "a-different-session-secret"  # the token no longer matches

        response = client.post(edit, data={**form_fields(entry, sections={"what": WORDS}),
                                           "csrf_token": old_token})
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert WORDS in page and "Your text is still here" in page
        fresh_token = csrf_token_from(page)
        assert fresh_token != old_token
        assert stored(entry).sections["what"] != WORDS

        response = client.post(edit, data={**form_fields(entry, sections={"what": WORDS}),
                                           "csrf_token": fresh_token})
        assert response.status_code == 302
        assert stored(entry).latest_version_number == 2
        assert stored(entry).sections["what"] == WORDS


def test_autosave_with_an_expired_token_gets_a_fresh_one(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        world = make_scenario()
        entry = make_entry(world.author, cohort=world.cohort)
        db.session.commit()
        client = sign_in(app.test_client(), world.author)
        url = f"/portfolio/entries/{entry.id}/autosave"
        client.get(f"/portfolio/entries/{entry.id}/edit")
        refused = client.post(url, data=form_fields(entry), headers={"X-CSRFToken": "stale"})
        assert refused.status_code == 400 and refused.get_json()["error"] == "token"
        retried = client.post(url, data=form_fields(entry, sections={"what": WORDS}),
                              headers={"X-CSRFToken": refused.get_json()["csrf_token"]})
        assert retried.status_code == 200
        assert stored(entry).sections["what"] == WORDS


def test_the_global_csrf_check_still_guards_everything_else(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        world = make_scenario()
        entry = make_entry(world.author, cohort=world.cohort)
        db.session.commit()
        client = sign_in(app.test_client(), world.author)
        assert client.post(f"/portfolio/entries/{entry.id}/delete").status_code == 400
        assert client.post(f"/portfolio/entries/{entry.id}/edit",
                           data=form_fields(entry, title="Forged")).status_code == 400
        assert stored(entry).title == "Session reflection"


def test_an_over_limit_section_keeps_its_text_in_the_form(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    too_long = "Detailed notes. " * 6251  # 100,016 characters
    response = client_for(world.author).post(f"/portfolio/entries/{entry.id}/edit",
                                             data=form_fields(entry, sections={"so_what": too_long}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "100,016 characters long, over the limit of 100,000" in page
    assert 'href="#section_so_what"' in page
    assert too_long.strip() in page
    assert stored(entry).sections["so_what"] == "Reaction was slow."


def test_a_post_larger_than_flasks_form_limit_still_keeps_the_text(app, world, client_for):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    huge = "é" * (app.config["MAX_FORM_MEMORY_SIZE"] // 5)  # url-encoded: 6 bytes a character
    response = client_for(world.author).post(f"/portfolio/entries/{entry.id}/edit",
                                             data=form_fields(entry, sections={"what": huge}))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "over the limit of 100,000" in page and huge in page


def test_a_stale_save_gets_a_conflict_page_with_the_authors_text(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    client = client_for(world.author)
    edit = f"/portfolio/entries/{entry.id}/edit"
    stale = form_fields(entry, sections={"what": WORDS})
    client.post(edit, data=form_fields(entry, sections={"what": "Saved from my phone"}))

    response = client.post(edit, data=stale)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "changed after you opened it" in page and WORDS in page
    assert stored(entry).sections["what"] == "Saved from my phone"

    current_lock = re.search(r'name="lock_version"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="lock_version"', page)
    assert int(current_lock.group(1)) == stored(entry).lock_version
    response = client.post(edit, data={**stale, "lock_version": current_lock.group(1)})
    assert response.status_code == 302
    assert stored(entry).sections["what"] == WORDS
    assert stored(entry).latest_version_number == 3  # the phone's version stays in history


def test_kept_text_is_bounded_and_expires(app, world):
    from datetime import timedelta

    from portfolio.database import utcnow
    from portfolio.entries import rescue

    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    client = app.test_client()
    flood = form_fields(entry, sections={key: "x" * 1_000_000 for key in
                                         ("what", "so_what", "now_what")}, athletes="y" * 10)
    assert client.post(f"/portfolio/entries/{entry.id}/autosave", data=flood).get_json()[
        "kept"] is False
    client.post(f"/portfolio/entries/{entry.id}/autosave", data=form_fields(entry))
    [row] = db.session.scalars(select(DraftRescue)).all()
    old_key = row.key_hash
    row.created_at = utcnow() - rescue.KEEP_FOR - timedelta(minutes=1)
    db.session.commit()
    app.test_client().post(f"/portfolio/entries/{entry.id}/autosave", data=form_fields(entry))
    db.session.expire_all()
    kept = db.session.scalars(select(DraftRescue.key_hash)).all()
    assert len(kept) == 1 and old_key not in kept  # the expired one was cleared away
