"""The dashboard's recent activity: exactly what the viewer may read in the cohorts it covers,
newest first, the same whether each cohort's rows are walked through their own cohort index (a
coach developer's few cohorts) or the whole table is walked newest first (a lead's every
current cohort). Versions and comments carry their entry's cohort for the first way."""

from datetime import UTC, datetime, timedelta

import pytest
from flask_login import login_user

from portfolio.entries.models import EntryVersion
from portfolio.extensions import db
from portfolio.reviews import dashboard as board
from portfolio.reviews import services
from portfolio.reviews.models import Comment
from tests.factories import (
    add_member,
    add_version,
    make_cohort,
    make_entry,
    make_scenario,
    make_user,
    make_year,
    sign_in,
)


def _world():
    s = make_scenario()
    # Last year's cohort: its coach developer must not see this year's work, and the reverse.
    old_year = make_year(status="archived", starts_on=s.year.starts_on - timedelta(days=365))
    s.old_cohort = make_cohort(year=old_year, framework=s.framework, name="Talent 2025")
    s.old_developer = make_user(name="Old Developer")
    add_member(s.old_cohort, s.old_developer, role="coach_developer")
    add_member(s.old_cohort, s.author, developer=s.old_developer)
    s.old_entry = make_entry(s.author, cohort=s.old_cohort, privacy="developers",
                             title="Last year's relay notes")
    s.shared = make_entry(s.author, cohort=s.cohort, privacy="developers", title="Block starts")
    s.private = make_entry(s.author, cohort=s.cohort, privacy="private", title="My own notes")
    s.draft = make_entry(s.peer, cohort=s.cohort, privacy="developers", title="Unsaved plan",
                         published=False)
    s.other = make_entry(s.other_candidate, cohort=s.other_cohort, privacy="developers",
                         title="Hurdle rhythm")
    add_version(s.shared)  # version 2
    services.add_comment(s.shared, s.developer, "Good cue choice.")
    removed = services.add_comment(s.shared, s.developer, "Posted by mistake.")
    removed.removed_at = datetime.now(UTC)
    db.session.commit()
    return s


def _activity(app, user, broad_scope, monkeypatch, limit=10):
    monkeypatch.setattr(board, "BROAD_SCOPE", broad_scope)
    with app.test_request_context("/reviews/dashboard"):
        login_user(user)
        return [(item.kind, item.entry_title, item.detail, item.actor_name)
                for item in board.recent_activity(user, board.Filters(), limit=limit)]


@pytest.mark.parametrize("broad_scope", [0, 10_000], ids=["walk-newest", "cohort-walk"])
def test_developer_sees_their_cohort_only_and_never_private_drafts_or_removed(
        app, monkeypatch, broad_scope):
    s = _world()
    seen = _activity(app, s.developer, broad_scope, monkeypatch)
    titles = {title for _, title, _, _ in seen}
    assert titles == {"Block starts"}
    assert ("version", "Block starts", "version 2", "Aisha Author") in seen
    assert ("comment", "Block starts", "a comment", "Dev Eloper") in seen
    assert [kind for kind, *_ in seen].count("comment") == 1  # the removed one is not listed


@pytest.mark.parametrize("broad_scope", [0, 10_000], ids=["walk-newest", "cohort-walk"])
def test_earlier_and_later_cohort_developers_do_not_cross(app, monkeypatch, broad_scope):
    s = _world()
    # Last year's coach developer still sees last year's cohort, and nothing of this year's.
    assert {title for _, title, _, _ in _activity(app, s.old_developer, broad_scope,
                                                  monkeypatch)} == {"Last year's relay notes"}
    other = {title for _, title, _, _ in _activity(app, s.other_developer, broad_scope,
                                                   monkeypatch)}
    assert other == {"Hurdle rhythm"}


@pytest.mark.parametrize("broad_scope", [0, 10_000], ids=["walk-newest", "cohort-walk"])
def test_lead_sees_every_current_cohort_newest_first_within_the_limit(
        app, monkeypatch, broad_scope):
    s = _world()
    seen = _activity(app, s.lead, broad_scope, monkeypatch)
    assert {title for _, title, _, _ in seen} == {"Block starts", "Hurdle rhythm"}
    assert _activity(app, s.lead, broad_scope, monkeypatch, limit=2) == seen[:2]


def test_both_ways_agree_on_a_larger_cohort(app, monkeypatch):
    s = _world()
    for n in range(12):
        user = make_user(name=f"Candidate {n:02d}")
        add_member(s.cohort, user, developer=s.developer)
        entry = make_entry(user, cohort=s.cohort, privacy=("developers", "peers", "private")[n % 3],
                           title=f"Session {n}")
        if n % 4 == 0:
            add_version(entry)
    db.session.commit()
    for viewer in (s.developer, s.lead, s.peer):
        assert _activity(app, viewer, 0, monkeypatch) == _activity(app, viewer, 10_000,
                                                                   monkeypatch)


def test_dashboard_page_names_actor_and_links_entry(app, client, monkeypatch):
    s = _world()
    sign_in(client, s.developer)
    page = client.get("/reviews/dashboard").get_data(as_text=True)
    assert "Recent activity" in page and "“Block starts”" in page
    from portfolio.reviews.links import entry_path

    assert entry_path(s.shared.id) in page
    assert "My own notes" not in page and "Last year" not in page


@pytest.mark.parametrize("broad_scope", [0, 10_000], ids=["walk-newest", "cohort-walk"])
def test_the_page_counted_scope_gives_the_same_activity(app, monkeypatch, broad_scope):
    s = _world()
    lead = make_user(lead=True)
    db.session.commit()
    monkeypatch.setattr(board, "BROAD_SCOPE", broad_scope)
    for user in (s.developer, s.old_developer, lead):
        with app.test_request_context("/reviews/dashboard"):
            login_user(user)
            filters = board.Filters()
            pagination, _ = board.candidate_rows(user, filters, 1, 25, s.year.starts_on)
            counted = board.recent_activity(user, filters, scope_size=pagination.total)
            assert counted and counted == board.recent_activity(user, filters)


def test_a_developer_of_two_cohorts_gets_both_merged_newest_first(app, monkeypatch):
    """Each cohort is walked on its own and the walks are merged: the newest rows of both,
    in time order, within the limit, the same as walking the whole table."""
    s = _world()
    add_member(s.other_cohort, s.developer, role="coach_developer")
    for n in range(8):  # alternate cohorts, each saved after the one before
        cohort, owner = ((s.cohort, s.author), (s.other_cohort, s.other_candidate))[n % 2]
        make_entry(owner, cohort=cohort, privacy="developers", title=f"Session {n}")
        db.session.flush()
    db.session.commit()
    walked = _activity(app, s.developer, 10_000, monkeypatch, limit=5)
    assert [title for _, title, _, _ in walked] == [f"Session {n}" for n in (7, 6, 5, 4, 3)]
    assert walked == _activity(app, s.developer, 0, monkeypatch, limit=5)
    # Filtered to one cohort, only that cohort's walk is made.
    monkeypatch.setattr(board, "BROAD_SCOPE", 10_000)
    with app.test_request_context("/reviews/dashboard"):
        login_user(s.developer)
        only = board.recent_activity(s.developer, board.Filters(cohort_id=s.other_cohort.id),
                                     limit=3)
    assert [item.entry_title for item in only] == ["Session 7", "Session 5", "Session 3"]


def test_versions_and_comments_carry_their_entrys_cohort(app):
    s = _world()
    # Made through the services (which say it) and through the factories (which do not).
    rows = [*db.session.scalars(EntryVersion.__table__.select()).all()]
    assert rows
    versions = db.session.execute(
        EntryVersion.__table__.select().with_only_columns(
            EntryVersion.entry_id, EntryVersion.cohort_id)).all()
    comments = db.session.execute(
        Comment.__table__.select().with_only_columns(Comment.entry_id, Comment.cohort_id)).all()
    entries = {entry.id: entry.cohort_id for entry in (s.shared, s.private, s.old_entry, s.other)}
    for entry_id, cohort_id in (*versions, *comments):
        if entry_id in entries:
            assert cohort_id == entries[entry_id]
    assert {cohort for _, cohort in comments} == {s.cohort.id}


def test_an_entry_that_joins_a_cohort_later_brings_its_versions_and_comments(app, monkeypatch):
    s = _world()
    early = make_entry(s.author, cohort=None, privacy="developers", title="Before the cohort")
    add_version(early)
    db.session.commit()
    db.session.add(Comment(entry_id=early.id, author_id=s.author.id, body="A note to self."))
    db.session.commit()
    early.cohort_id = s.cohort.id
    db.session.commit()
    carried = db.session.execute(
        EntryVersion.__table__.select().with_only_columns(EntryVersion.cohort_id)
        .where(EntryVersion.entry_id == early.id)).scalars().all()
    assert carried and set(carried) == {s.cohort.id}
    assert db.session.scalar(Comment.__table__.select().with_only_columns(Comment.cohort_id)
                             .where(Comment.entry_id == early.id)) == s.cohort.id
    seen = _activity(app, s.developer, 10_000, monkeypatch)
    assert "Before the cohort" in {title for _, title, _, _ in seen}
