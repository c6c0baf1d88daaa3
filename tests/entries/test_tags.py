"""Tags keep the author's case ("U17") and match ignoring it: "u17" is the same tag."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from portfolio.entries import services
from portfolio.entries.models import EntryTag
from portfolio.entries.services import EntryDraft
from portfolio.entries.vocabulary import normalise_tags
from portfolio.extensions import db
from tests.factories import make_entry


def test_tags_keep_their_case_and_the_first_spelling_wins():
    assert normalise_tags("U17, u17, Block Starts, #wet  weather, block starts") == [
        "U17", "Block Starts", "wet weather"]


def test_a_tag_that_only_changes_case_is_renamed_in_place(world):
    entry = make_entry(world.author, cohort=world.cohort, published=False)
    services.update_working_copy(entry, EntryDraft(tags="u17, relays"), world.author)
    db.session.commit()
    original = {tag.name_key: tag.id for tag in entry.tags}
    services.update_working_copy(entry, EntryDraft(tags="U17, Relays, indoor"), world.author)
    db.session.commit()
    db.session.refresh(entry)
    assert sorted(tag.name for tag in entry.tags) == ["Relays", "U17", "indoor"]
    assert {tag.name_key: tag.id for tag in entry.tags if tag.name_key in original} == original


def test_the_database_refuses_the_same_tag_twice_in_different_case(world):
    entry = make_entry(world.author, cohort=world.cohort, published=False)
    db.session.add(EntryTag(entry_id=entry.id, name="U17"))
    db.session.flush()
    db.session.add(EntryTag(entry_id=entry.id, name="u17"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_entry_page_shows_tags_as_written(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, published=False)
    services.update_working_copy(entry, EntryDraft(tags="U17, Block starts"), world.author)
    services.save_version(entry, world.author)
    db.session.commit()
    page = client_for(world.peer).get(f"/portfolio/entries/{entry.id}").get_data(as_text=True)
    assert "U17" in page and "Block starts" in page and "u17" not in page
