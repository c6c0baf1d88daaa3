"""The dashboard's recent activity: exactly what the viewer may read in the cohorts it covers,
newest first, the same whether the rows are gathered per candidate (a coach developer's few)
or walked newest first (a lead's every current cohort)."""

from datetime import UTC, datetime, timedelta

import pytest
from flask_login import login_user

from portfolio.extensions import db
from portfolio.reviews import dashboard as board
from portfolio.reviews import services
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


@pytest.mark.parametrize("broad_scope", [0, 10_000], ids=["walk-newest", "per-candidate"])
def test_developer_sees_their_cohort_only_and_never_private_drafts_or_removed(
        app, monkeypatch, broad_scope):
    s = _world()
    seen = _activity(app, s.developer, broad_scope, monkeypatch)
    titles = {title for _, title, _, _ in seen}
    assert titles == {"Block starts"}
    assert ("version", "Block starts", "version 2", "Aisha Author") in seen
    assert ("comment", "Block starts", "a comment", "Dev Eloper") in seen
    assert [kind for kind, *_ in seen].count("comment") == 1  # the removed one is not listed


@pytest.mark.parametrize("broad_scope", [0, 10_000], ids=["walk-newest", "per-candidate"])
def test_earlier_and_later_cohort_developers_do_not_cross(app, monkeypatch, broad_scope):
    s = _world()
    # Last year's coach developer still sees last year's cohort, and nothing of this year's.
    assert {title for _, title, _, _ in _activity(app, s.old_developer, broad_scope,
                                                  monkeypatch)} == {"Last year's relay notes"}
    other = {title for _, title, _, _ in _activity(app, s.other_developer, broad_scope,
                                                   monkeypatch)}
    assert other == {"Hurdle rhythm"}


@pytest.mark.parametrize("broad_scope", [0, 10_000], ids=["walk-newest", "per-candidate"])
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


@pytest.mark.parametrize("broad_scope", [0, 10_000], ids=["walk-newest", "per-candidate"])
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
