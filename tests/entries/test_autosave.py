"""Autosave writes the author's working copy only; readers keep seeing the saved version."""

from sqlalchemy import func, select

from portfolio.entries.models import DraftRescue, Entry
from portfolio.entries.services import mark_review_status
from portfolio.extensions import db
from tests.entries.builders import form_fields
from tests.factories import make_entry


def reload(entry):
    db.session.expire_all()
    return db.session.get(Entry, entry.id)


def test_autosave_updates_the_draft_and_answers_with_the_time(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, privacy="peers")
    db.session.commit()
    response = client_for(world.author).post(
        f"/portfolio/entries/{entry.id}/autosave",
        data=form_fields(entry, sections={"so_what": "Half-finished thought"}))
    answer = response.get_json()
    assert response.status_code == 200 and answer["status"] == "saved"
    assert len(answer["saved_at"]) == 5 and answer["saved_at"][2] == ":"
    stored = reload(entry)
    assert stored.sections["so_what"] == "Half-finished thought"
    assert answer["lock_version"] == stored.lock_version
    assert stored.latest_version_number == 1  # no new version


def test_readers_never_see_autosaved_text(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, privacy="peers")
    db.session.commit()
    client_for(world.author).post(f"/portfolio/entries/{entry.id}/autosave", data=form_fields(
        entry, sections={"so_what": "Not ready for anyone"}))
    page = client_for(world.peer).get(f"/portfolio/entries/{entry.id}").get_data(as_text=True)
    assert "Reaction was slow." in page and "Not ready for anyone" not in page
    author_page = client_for(world.author).get(f"/portfolio/entries/{entry.id}").get_data(
        as_text=True)
    assert "changes that are not saved as a version" in author_page


def test_first_autosave_of_a_new_entry_creates_one_draft(world, client_for):
    client = client_for(world.author)
    empty = client.post("/portfolio/entries/new/autosave", data={
        "title": "", "reflection_model": "free", "section_free_text": "   "})
    assert empty.get_json()["status"] == "empty"
    answer = client.post("/portfolio/entries/new/autosave",
                         data=form_fields(owner=world.author)).get_json()
    entry = db.session.get(Entry, answer["entry_id"])
    assert entry.owner_id == world.author.id and entry.status == "draft"
    assert answer["urls"]["autosave"] == f"/portfolio/entries/{entry.id}/autosave"
    assert answer["urls"]["edit"] == f"/portfolio/entries/{entry.id}/edit"
    assert db.session.scalar(select(func.count()).select_from(Entry)) == 1


def test_stale_lock_version_is_a_conflict_and_changes_nothing(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    client = client_for(world.author)
    stale = form_fields(entry, sections={"what": "From the old tab"})
    client.post(f"/portfolio/entries/{entry.id}/autosave",
                data=form_fields(entry, sections={"what": "From the new tab"}))
    response = client.post(f"/portfolio/entries/{entry.id}/autosave", data=stale)
    assert response.status_code == 409 and response.get_json()["error"] == "conflict"
    assert reload(entry).sections["what"] == "From the new tab"


def test_a_review_does_not_make_the_open_editor_stale(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    opened = form_fields(entry, sections={"what": "Still typing"})
    mark_review_status(entry, "submitted", world.developer)
    db.session.commit()
    assert reload(entry).review_status == "submitted"
    response = client_for(world.author).post(f"/portfolio/entries/{entry.id}/autosave",
                                             data=opened)
    assert response.status_code == 200


def test_an_over_long_section_is_reported_and_the_rest_is_saved(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    answer = client_for(world.author).post(f"/portfolio/entries/{entry.id}/autosave", data=form_fields(
        entry, title="New title", sections={"so_what": "x" * 100_001})).get_json()
    assert answer["status"] == "saved" and "100,001" in " ".join(answer["errors"])
    stored = reload(entry)
    assert stored.title == "New title" and stored.sections["so_what"] == "Reaction was slow."


def test_sections_up_to_the_limit_are_accepted(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    long_text = ("Ymateb araf – réaction lente. " * 4000)[:100_000]
    answer = client_for(world.author).post(f"/portfolio/entries/{entry.id}/autosave", data=form_fields(
        entry, sections={key: long_text for key in ("what", "so_what", "now_what")})).get_json()
    assert answer["errors"] == []
    assert reload(entry).sections["now_what"] == long_text


def test_nobody_else_can_autosave_into_an_entry(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, privacy="cohort")
    db.session.commit()
    for user in (world.peer, world.developer, world.admin):
        response = client_for(user).post(f"/portfolio/entries/{entry.id}/autosave",
                                         data=form_fields(entry, title="Hijacked"))
        assert response.status_code == 404
    assert reload(entry).title == "Session reflection"


def test_signed_out_autosave_answers_401_and_keeps_the_text(app, world):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    response = app.test_client().post(f"/portfolio/entries/{entry.id}/autosave",
                                      data=form_fields(entry, sections={"what": "Keep me"}))
    answer = response.get_json()
    assert response.status_code == 401 and answer["kept"] is True
    assert "/account/login" in answer["login_url"]
    [kept] = db.session.scalars(select(DraftRescue)).all()
    assert kept.user_id == world.author.id and kept.payload["section_what"] == ["Keep me"]


def test_a_forged_owner_hint_keeps_nothing(app, world):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    response = app.test_client().post(f"/portfolio/entries/{entry.id}/autosave",
                                      data=form_fields(entry, owner_token="1.forged"))
    assert response.get_json()["kept"] is False
    assert db.session.scalar(select(func.count()).select_from(DraftRescue)) == 0


def test_preview_renders_through_the_sanitiser(world, client_for):
    answer = client_for(world.author).post("/portfolio/preview", data={
        "text": "**Bold** <script>alert(1)</script> [x](javascript:alert(1))"}).get_json()
    assert "<strong>Bold</strong>" in answer["html"]
    assert "<script" not in answer["html"] and "javascript:" not in answer["html"]
