"""Building a showcase: items pinned to what was chosen, only the owner's own things, a locked
submitted copy that refuses every edit, and who may read it inside the cohort it was made in."""

from __future__ import annotations

import pytest

from portfolio.errors import ConflictError, DomainError
from portfolio.extensions import db
from portfolio.showcases import services
from portfolio.showcases.models import ItemKind
from portfolio.showcases.permissions import can_read_showcase, extra_readers
from tests.factories import add_version, make_entry, make_link_evidence, make_scenario


def build(s, **sharing):
    showcase = services.create_showcase(s.author, title="My year", introduction="**Hello**")
    entry = make_entry(s.author, cohort=s.cohort, title="Block starts")
    evidence = make_link_evidence(s.author, title="Final")
    services.add_heading(showcase, s.author, heading="Sprints", expected_lock=None)
    services.add_entry_version(showcase, s.author, entry_id=entry.id, expected_lock=None)
    services.add_evidence(showcase, s.author, evidence_id=evidence.id, expected_lock=None)
    if sharing:
        services.update_showcase(showcase, s.author, title=showcase.title,
                                 introduction=showcase.introduction, expected_lock=None,
                                 **{"shared_with_developers": False, "shared_with_peers": False}
                                 | sharing)
    db.session.commit()
    return showcase, entry, evidence


def test_the_introduction_is_rendered_once_and_sanitised(app):
    s = make_scenario()
    showcase = services.create_showcase(
        s.author, title="Mine", introduction="**Bold** <script>alert(1)</script>")
    assert "<strong>Bold</strong>" in showcase.introduction_html
    assert "<script" not in showcase.introduction_html


def test_an_entry_item_stays_on_its_version_until_updated(app):
    s = make_scenario()
    showcase, entry, _ = build(s)
    item = next(i for i in showcase.items if i.kind == ItemKind.ENTRY_VERSION)
    entry.title = "Block starts, revised"
    add_version(entry)
    db.session.commit()
    assert item.entry_version.number == 1 and services.has_newer_version(item)
    services.update_to_latest(item, s.author, expected_lock=showcase.lock_version)
    assert item.entry_version.number == 2 and item.entry_version.title == "Block starts, revised"
    with pytest.raises(DomainError):
        services.update_to_latest(item, s.author, expected_lock=None)


def test_only_the_owners_own_things_can_be_added(app):
    s = make_scenario()
    showcase, _, _ = build(s)
    theirs = make_entry(s.peer, cohort=s.cohort, title="Peer's entry")
    their_evidence = make_link_evidence(s.peer)
    private = make_entry(s.author, cohort=s.cohort, privacy="private", title="Only mine")
    for call in (
        lambda: services.add_entry_version(showcase, s.author, entry_id=theirs.id,
                                           expected_lock=None),
        lambda: services.add_evidence(showcase, s.author, evidence_id=their_evidence.id,
                                      expected_lock=None),
        lambda: services.add_entry_version(showcase, s.author, entry_id=private.id,
                                           expected_lock=None),
        lambda: services.add_signoff(showcase, s.author, signoff_id=1, expected_lock=None),
        lambda: services.add_heading(showcase, s.peer, heading="Mine now", expected_lock=None),
    ):
        with pytest.raises(DomainError):
            call()
    db.session.rollback()
    assert len(showcase.items) == 3


def test_a_stale_lock_is_a_conflict(app):
    s = make_scenario()
    showcase, _, _ = build(s)
    stale = showcase.lock_version
    services.add_heading(showcase, s.author, heading="New", expected_lock=stale)
    with pytest.raises(ConflictError):
        services.add_heading(showcase, s.author, heading="Other tab", expected_lock=stale)


def test_moving_swaps_neighbours(app):
    s = make_scenario()
    showcase, _, _ = build(s)
    heading = showcase.items[0]
    services.move_item(heading, s.author, direction="down", expected_lock=None)
    assert [item.kind for item in showcase.items] == [ItemKind.ENTRY_VERSION, ItemKind.HEADING,
                                                      ItemKind.EVIDENCE]
    with pytest.raises(DomainError):
        services.move_item(showcase.items[0], s.author, direction="up", expected_lock=None)


def test_submit_copy_is_a_locked_copy_that_refuses_every_edit(app):
    s = make_scenario()
    showcase, entry, _ = build(s)
    copy = services.submit_copy(showcase, actor=s.author)
    db.session.commit()
    assert copy.id != showcase.id and copy.copied_from_id == showcase.id and copy.is_locked
    assert [(i.kind, i.entry_version_id, i.pinned_title) for i in copy.items] == [
        (i.kind, i.entry_version_id, i.pinned_title) for i in showcase.items]
    item = copy.items[1]
    for call in (
        lambda: services.add_heading(copy, s.author, heading="More", expected_lock=None),
        lambda: services.update_showcase(copy, s.author, title="New", introduction="",
                                         shared_with_developers=True, shared_with_peers=True,
                                         expected_lock=None),
        lambda: services.edit_item(item, s.author, note="changed", expected_lock=None),
        lambda: services.move_item(item, s.author, direction="up", expected_lock=None),
        lambda: services.remove_item(item, s.author, expected_lock=None),
        lambda: services.update_to_latest(item, s.author, expected_lock=None),
        lambda: services.delete_showcase(copy, s.author, expected_lock=None),
    ):
        with pytest.raises(DomainError):
            call()
        db.session.rollback()
    # The original stays editable, and editing it leaves the copy as it was.
    services.add_heading(showcase, s.author, heading="After submitting", expected_lock=None)
    db.session.commit()
    assert len(copy.items) == 3 and len(showcase.items) == 4


@pytest.mark.parametrize("sharing, readers", [
    ({}, {"author"}),
    ({"shared_with_developers": True}, {"author", "developer", "lead", "admin"}),
    ({"shared_with_peers": True}, {"author", "peer"}),
])
def test_readers_are_the_owner_and_whom_it_is_shared_with_in_its_cohort(app, sharing, readers):
    s = make_scenario()
    showcase, _, _ = build(s, **sharing)
    roles = ("author", "peer", "outsider", "developer", "other_developer", "other_candidate",
             "lead", "admin", "stranger")
    assert {role for role in roles if can_read_showcase(getattr(s, role), showcase)} == readers


def test_other_features_can_add_readers(app):
    s = make_scenario()
    showcase, _, _ = build(s)
    assert not can_read_showcase(s.stranger, showcase)
    extra_readers.append(lambda user, item: user.id == s.stranger.id)
    try:
        assert can_read_showcase(s.stranger, showcase)
    finally:
        extra_readers.pop()
