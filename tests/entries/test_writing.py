"""Writing entries through the form: drafts, saves, models, claims, tags, privacy, read-only."""

from datetime import date, timedelta

from sqlalchemy import select

from portfolio.entries.models import Entry, EntryVersion
from portfolio.extensions import db
from tests.entries.builders import form_fields
from tests.factories import competency, make_entry, make_framework, make_year


def entries_of(user):
    db.session.expire_all()
    return list(db.session.scalars(select(Entry).where(Entry.owner_id == user.id)))


def test_new_entry_starts_by_choosing_a_model(world, client_for):
    page = client_for(world.author).get("/portfolio/entries/new").get_data(as_text=True)
    assert "How do you want to reflect?" in page
    for name in ("Gibbs", "What? So what? Now what?", "Kolb", "Gilbert and Trudel",
                 "four lenses", "Free writing"):
        assert name in page


def test_each_model_shows_its_own_prompts(world, client_for):
    client = client_for(world.author)
    gibbs = client.get("/portfolio/entries/new?model=gibbs").get_data(as_text=True)
    assert 'name="section_gibbs_feelings"' in gibbs and 'name="section_what"' not in gibbs
    lenses = client.get("/portfolio/entries/new?model=brookfield").get_data(as_text=True)
    assert "Through your athletes" in lenses and 'name="section_bf_literature"' in lenses
    assert "without names" in lenses  # the hint to anonymise athletes


def test_saving_a_new_entry_makes_version_one_in_the_cohort(world, client_for):
    vp1 = competency(world.framework, "VP1")
    response = client_for(world.author).post("/portfolio/entries/new", data=form_fields(
        owner=world.author, competencies=[str(vp1.id)], tags="Acceleration, #U17,  wet  weather,u17"))
    [entry] = entries_of(world.author)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/portfolio/entries/{entry.id}")
    assert entry.status == "published" and entry.cohort_id == world.cohort.id
    assert entry.latest_version_number == 1
    [version] = entry.versions
    assert version.content["sections"]["so_what"] == "Reaction was slow."
    assert version.competency_ids == [vp1.id]
    assert version.content["tags"] == ["Acceleration", "U17", "wet weather"]  # case kept
    assert version.content_hash and len(version.content_hash) == 64


def test_save_draft_keeps_the_entry_to_the_author(world, client_for):
    client_for(world.author).post("/portfolio/entries/new",
                                  data=form_fields(owner=world.author, action="draft"))
    [entry] = entries_of(world.author)
    assert entry.status == "draft" and entry.latest_version_number == 0
    assert client_for(world.peer).get(f"/portfolio/entries/{entry.id}").status_code == 404
    page = client_for(world.author).get(f"/portfolio/entries/{entry.id}").get_data(as_text=True)
    assert "only you can see it" in page and "Reaction was slow." in page


def test_saving_needs_a_title_but_keeps_the_draft(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, published=False, title="")
    db.session.commit()
    response = client_for(world.author).post(
        f"/portfolio/entries/{entry.id}/edit",
        data=form_fields(entry, sections={"what": "New words I must not lose."}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a title before saving a version" in page and 'href="#title"' in page
    assert "New words I must not lose." in page
    assert entries_of(world.author)[0].sections["what"] == "New words I must not lose."


def test_bad_input_is_shown_next_to_the_fields_with_everything_kept(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    tomorrow_but_one = (date.today() + timedelta(days=3)).isoformat()
    response = client_for(world.author).post(f"/portfolio/entries/{entry.id}/edit", data=form_fields(
        entry, title="T" * 201, practice_date="31/02/2026", sections={"what": "Kept text"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="#title"' in page and 'href="#practice_date"' in page
    assert "Kept text" in page
    response = client_for(world.author).post(f"/portfolio/entries/{entry.id}/edit", data=form_fields(
        entry, practice_date=tomorrow_but_one))
    assert "cannot be in the future" in response.get_data(as_text=True)


def test_competencies_from_another_framework_are_refused(world, client_for):
    foreign = make_framework(areas=[("Other", [("ZZ9", 1, 0)])])
    db.session.commit()
    smuggled = competency(foreign, "ZZ9")
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    response = client_for(world.author).post(f"/portfolio/entries/{entry.id}/edit",
                                             data=form_fields(entry, competencies=[str(smuggled.id)]))
    assert "Choose competencies from your cohort" in response.get_data(as_text=True)
    assert entries_of(world.author)[0].claims == []


def test_the_form_groups_the_cohort_framework_by_area(world, client_for):
    page = client_for(world.author).get("/portfolio/entries/new?model=free").get_data(as_text=True)
    assert page.index("Vision &amp; planning") < page.index("VP1") < page.index(
        "Reflective practice") < page.index("RP1")


def test_changing_model_keeps_every_word(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    client = client_for(world.author)
    client.post(f"/portfolio/entries/{entry.id}/edit",
                data=form_fields(entry, reflection_model="gibbs", action="change_model"))
    stored = entries_of(world.author)[0]
    assert stored.reflection_model == "gibbs"
    assert stored.sections["what"] == "We worked on block starts."
    page = client.get(f"/portfolio/entries/{entry.id}/edit").get_data(as_text=True)
    assert 'name="section_gibbs_description"' in page
    assert 'name="section_what"' in page and "Written under What? So what? Now what?" in page


def test_private_entries_say_only_me_prominently(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, privacy="private")
    db.session.commit()
    page = client_for(world.author).get(f"/portfolio/entries/{entry.id}").get_data(as_text=True)
    assert "privacy-badge" in page and "Only me" in page and "cannot be submitted" in page


def test_widening_privacy_waits_for_save_but_narrowing_is_immediate(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, privacy="peers")
    db.session.commit()
    author, outsider = client_for(world.author), client_for(world.outsider)
    url = f"/portfolio/entries/{entry.id}"
    author.post(url + "/autosave", data=form_fields(entry, privacy="cohort"))
    assert outsider.get(url).status_code == 404  # a draft choice shows nobody anything
    assert entries_of(world.author)[0].pending_privacy == "cohort"
    author.post(url + "/edit", data=form_fields(entries_of(world.author)[0], privacy="cohort"))
    assert outsider.get(url).status_code == 200
    author.post(url + "/autosave", data=form_fields(entries_of(world.author)[0],
                                                    privacy="private"))
    assert outsider.get(url).status_code == 404
    assert client_for(world.peer).get(url).status_code == 404


def test_people_who_are_not_candidates_cannot_start_entries(world, client_for):
    assert client_for(world.developer).get("/portfolio/entries/new").status_code == 403
    assert client_for(world.lead).post("/portfolio/entries/new", data=form_fields(
        owner=world.lead)).status_code == 403


def test_archived_year_entries_are_read_only_but_keep_the_text(world, client_for):
    year = make_year(status="archived")
    world.cohort.year_id = year.id
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    client = client_for(world.author)
    url = f"/portfolio/entries/{entry.id}"
    assert client.get(url + "/edit").status_code == 302
    response = client.post(url + "/edit", data=form_fields(entry, sections={"what": "Late words"}))
    assert response.status_code == 403 and "Late words" in response.get_data(as_text=True)
    assert client.post(url + "/autosave", data=form_fields(entry)).status_code == 403
    assert client.get(url).status_code == 200
    assert db.session.scalar(select(EntryVersion.id).where(
        EntryVersion.entry_id == entry.id, EntryVersion.number == 2)) is None


def test_withdrawn_author_cannot_change_entries(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort)
    world.author_membership.status = "withdrawn"
    db.session.commit()
    response = client_for(world.author).post(f"/portfolio/entries/{entry.id}/autosave",
                                             data=form_fields(entry))
    assert response.status_code == 403


def test_deleting_an_entry_asks_first_then_removes_it(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, title="Throwaway")
    db.session.commit()
    client = client_for(world.author)
    url = f"/portfolio/entries/{entry.id}/delete"
    assert "cannot be undone" in client.get(url).get_data(as_text=True)
    assert client.post(url).status_code == 302
    assert entries_of(world.author) == []


def test_an_entry_in_review_cannot_be_deleted(world, client_for):
    from portfolio.entries.services import mark_review_status

    entry = make_entry(world.author, cohort=world.cohort)
    mark_review_status(entry, "submitted", world.author)
    db.session.commit()
    client_for(world.author).post(f"/portfolio/entries/{entry.id}/delete")
    assert len(entries_of(world.author)) == 1
