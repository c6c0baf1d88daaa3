"""The privacy tiers mean the same audience in the Python predicate and the SQL filter."""

import pytest
from sqlalchemy import select

from portfolio.entries.models import Entry
from portfolio.entries.permissions import can_view_entry, visible_entries_filter
from portfolio.extensions import db
from tests.factories import make_entry, make_scenario

EXPECTED = {
    # viewer: tiers they may read (author reads all of their own)
    "author": {"private", "peers", "developers", "cohort"},
    "peer": {"peers", "cohort"},
    "outsider": {"cohort"},
    "developer": {"peers", "developers", "cohort"},
    "other_developer": set(),
    "other_candidate": set(),
    "lead": {"peers", "developers", "cohort"},
    "admin": {"peers", "developers", "cohort"},
    "stranger": set(),
}


@pytest.mark.parametrize("viewer", sorted(EXPECTED))
def test_each_role_sees_exactly_the_tiers_promised(app, viewer):
    s = make_scenario()
    entries = {tier: make_entry(s.author, cohort=s.cohort, privacy=tier, title=tier)
               for tier in ("private", "peers", "developers", "cohort")}
    db.session.commit()
    user = getattr(s, viewer)
    by_predicate = {tier for tier, entry in entries.items() if can_view_entry(user, entry)}
    by_sql = set(db.session.scalars(select(Entry.title).where(visible_entries_filter(user))))
    assert by_predicate == EXPECTED[viewer]
    assert by_sql == EXPECTED[viewer]


def test_withdrawn_peer_loses_access_at_once(app):
    s = make_scenario()
    entry = make_entry(s.author, cohort=s.cohort, privacy="peers")
    db.session.commit()
    assert can_view_entry(s.peer, entry)
    s.peer_membership.status = "withdrawn"
    db.session.commit()
    assert not can_view_entry(s.peer, entry)


def test_unsaved_draft_is_for_the_author_only(app):
    s = make_scenario()
    entry = make_entry(s.author, cohort=s.cohort, privacy="cohort", published=False)
    db.session.commit()
    assert can_view_entry(s.author, entry)
    assert not can_view_entry(s.developer, entry)
    assert not can_view_entry(s.lead, entry)


def test_withdrawn_author_and_archived_year_make_entries_read_only(app):
    from portfolio.entries.permissions import can_edit_entry

    s = make_scenario()
    entry = make_entry(s.author, cohort=s.cohort)
    db.session.commit()
    assert can_edit_entry(s.author, entry)
    s.author_membership.status = "withdrawn"
    db.session.commit()
    assert not can_edit_entry(s.author, entry)
    s.author_membership.status = "active"
    s.year.status = "archived"
    db.session.commit()
    assert not can_edit_entry(s.author, entry)


def test_out_of_range_ids_are_404_not_500(app, client, login):
    s = make_scenario()
    db.session.commit()
    login(s.author)
    for ident in (2**31, 2**40, -5, 0):
        assert client.get(f"/portfolio/entries/{ident}").status_code == 404
