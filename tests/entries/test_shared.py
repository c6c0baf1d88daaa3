"""'Shared with me': what peers shared, newest save first, what is new or changed since the
reader last looked, and a notification when an entry first reaches the peer group."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portfolio.entries import services
from portfolio.entries.models import EntryRead
from portfolio.entries.services import EntryDraft
from portfolio.extensions import db
from portfolio.notifications.models import Notification
from portfolio.programmes.models import PeerGroupMember
from tests.factories import add_member, add_version, make_entry, make_user
from tests.live import together
from tests.reviews.builders import StatementCounter

SECTIONS = {"what": "Relays.", "so_what": "Changeovers were late.", "now_what": "Mark-ups."}


def _page(client, query="") -> str:
    response = client.get("/portfolio/shared" + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_feed_lists_what_others_shared_with_me_newest_save_first(world, client_for):
    older = make_entry(world.author, cohort=world.cohort, privacy="peers", title="Older relays")
    make_entry(world.author, cohort=world.cohort, privacy="cohort", title="Newer starts")
    make_entry(world.author, cohort=world.cohort, privacy="private", title="Private doubts")
    make_entry(world.author, cohort=world.cohort, privacy="developers", title="For my developer")
    make_entry(world.author, cohort=world.cohort, privacy="peers", title="Still a draft",
               published=False)
    make_entry(world.peer, cohort=world.cohort, privacy="peers", title="My own entry")
    make_entry(world.other_candidate, cohort=world.other_cohort, privacy="cohort",
               title="Another cohort")
    db.session.commit()
    page = _page(client_for(world.peer))
    assert page.index("Newer starts") < page.index("Older relays")
    older.title = "Older relays, saved again"
    add_version(older)  # the latest save comes first, not the newest entry
    db.session.commit()
    page = _page(client_for(world.peer))
    assert page.index("Older relays, saved again") < page.index("Newer starts")
    for hidden in ("Private doubts", "For my developer", "Still a draft", "My own entry",
                   "Another cohort", "Cora Candidate"):
        assert hidden not in page
    assert "Aisha Author" in page
    outsider = _page(client_for(world.outsider))  # same cohort, not in the peer group
    assert "Newer starts" in outsider and "Older relays" not in outsider


def test_new_then_seen_then_changed_since_i_last_looked(world, client_for):
    entry = make_entry(world.author, cohort=world.cohort, privacy="peers", title="Relays")
    db.session.commit()
    peer = client_for(world.peer)
    page = _page(peer)
    assert "New to you" in page and "1 entry new or changed" in page
    assert peer.get(f"/portfolio/entries/{entry.id}").status_code == 200
    page = _page(peer)
    assert "New to you" not in page and "You are up to date" in page
    assert "Relays" not in _page(peer, "?show=new")
    entry.sections = {**entry.sections, "what": "Relays, second look."}
    add_version(entry)
    db.session.commit()
    page = _page(peer)
    assert "Changed since you read version 1" in page
    assert f"/portfolio/entries/{entry.id}/compare/1/2" in page
    assert "Relays" in _page(peer, "?show=new")
    entry_page = peer.get(f"/portfolio/entries/{entry.id}").get_data(as_text=True)
    assert "You last read version 1" in entry_page
    assert "You are up to date" in _page(peer)
    # The author opening their own entry leaves no marker.
    client_for(world.author).get(f"/portfolio/entries/{entry.id}")
    assert db.session.scalar(select(func.count()).select_from(EntryRead).where(
        EntryRead.user_id == world.author.id)) == 0


def test_the_feed_paginates_with_a_fixed_number_of_statements(app, world, client_for):
    def add(count, start):
        for n in range(start, start + count):
            make_entry(world.author, cohort=world.cohort, privacy="peers", title=f"Entry {n}")
        db.session.commit()

    def statements():
        client = client_for(world.peer)
        client.get("/portfolio/shared")
        with StatementCounter(db.engine) as counter:
            assert client.get("/portfolio/shared").status_code == 200
        return counter.count

    add(3, 0)
    few = statements()
    add(app.config["ITEMS_PER_PAGE"] + 5, 3)
    assert statements() == few
    peer = client_for(world.peer)
    first, second = _page(peer), _page(peer, "?page=2")
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert "Entry 0<" in second and "Entry 0<" not in first


def _draft(privacy, title="Shared relays"):
    return EntryDraft(title=title, practice_date=date(2026, 10, 2), sections=SECTIONS,
                      privacy=privacy)


def _shared_notifications(user=None):
    statement = select(Notification).where(Notification.kind == "entry_shared")
    if user is not None:
        statement = statement.where(Notification.user_id == user.id)
    return list(db.session.scalars(statement))


def test_the_peer_group_is_told_when_an_entry_is_first_shared_with_it(world):
    entry, _ = services.create_entry(world.author, _draft("peers"))
    services.save_version(entry, world.author)
    db.session.commit()
    told = _shared_notifications()
    assert [n.user_id for n in told] == [world.peer.id]  # not the outsider, not the author
    assert told[0].message == "Aisha Author shared “Shared relays” with you."
    assert told[0].link == f"/portfolio/entries/{entry.id}"
    services.update_working_copy(entry, EntryDraft(sections={**SECTIONS, "what": "More."}),
                                 world.author)
    services.save_version(entry, world.author)
    db.session.commit()
    assert len(_shared_notifications()) == 1  # a later version does not tell them again


def test_widening_to_the_peer_group_tells_it_and_narrower_tiers_do_not(world):
    entry, _ = services.create_entry(world.author, _draft("private"))
    services.save_version(entry, world.author)
    services.update_working_copy(entry, EntryDraft(privacy="developers"), world.author)
    services.save_version(entry, world.author)
    db.session.commit()
    assert _shared_notifications() == []
    services.update_working_copy(entry, EntryDraft(privacy="cohort"), world.author)
    services.save_version(entry, world.author)
    db.session.commit()
    assert [n.user_id for n in _shared_notifications()] == [world.peer.id]


def test_a_withdrawn_peer_is_not_told(world):
    from portfolio.programmes.membership import change_status

    change_status(world.lead, world.peer_membership, "withdrawn")
    newcomer = make_user(name="Nia Newcomer")
    membership = add_member(world.cohort, newcomer)
    db.session.add(PeerGroupMember(peer_group_id=world.peer_group.id,
                                   membership_id=membership.id))
    db.session.commit()
    entry, _ = services.create_entry(world.author, _draft("peers"))
    services.save_version(entry, world.author)
    db.session.commit()
    assert [n.user_id for n in _shared_notifications()] == [newcomer.id]


def test_two_tabs_opening_an_entry_at_once_keep_one_marker(live_site, world):
    entry = make_entry(world.author, cohort=world.cohort, privacy="peers", title="Relays")
    add_version(entry)
    db.session.commit()
    path = f"/portfolio/entries/{entry.id}"
    browsers = [live_site.browser_for(world.peer) for _ in range(4)]
    answers = together(4, lambda n: browsers[n].get(path))
    assert [getattr(answer, "status", answer) for answer in answers] == [200] * 4
    db.session.expire_all()
    markers = list(db.session.scalars(select(EntryRead)))
    assert [(m.user_id, m.version_number) for m in markers] == [(world.peer.id, 2)]
