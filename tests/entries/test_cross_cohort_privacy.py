"""Privacy is bound to the entry's cohort: having shared another cohort grants nothing.

The story is the one from the field: coach3 deferred in the closed 2025-2026 pilot and is now a
candidate in 2026-2027. The pilot's coach developer and a fellow pilot candidate (same peer
group, now completed) must read none of coach3's 2026-2027 work at any tier, through any
channel, while keeping last year's shared entry as a record; the 2026-2027 cohort must not read
last year's entry. Then a real "Start next year" shows the same in the other direction.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from portfolio.entries.authoring import can_view_candidate, can_view_owned, readable_versions
from portfolio.entries.permissions import can_view_entry, visible_entries_filter
from portfolio.errors import DomainError
from portfolio.evidence.permissions import can_view_evidence
from portfolio.exports.document import build_document
from portfolio.extensions import db
from portfolio.programmes import rollover
from portfolio.programmes.access import current_relations_to, relations_to
from portfolio.reviews import services as reviews
from portfolio.reviews.permissions import can_comment, can_peer_signoff
from tests.entries.builders import make_goal, make_statement
from tests.evidence.builders import image_bytes, upload
from tests.factories import (
    add_member,
    competency,
    make_cohort,
    make_entry,
    make_framework,
    make_peer_group,
    make_user,
    make_year,
)

TIERS = ("developers", "peers", "cohort")
PILOT_ENTRY = "Pilot reflection on hurdle drills"
GOAL = "Goal: plan the indoor season"
PHILOSOPHY = "Philosophy: athletes own their training"


def _story():
    from portfolio.evidence import services as evidence

    s = SimpleNamespace()
    s.framework = make_framework("Coaching")
    s.pilot_year = make_year("2025-2026", status="closed", starts_on=date(2025, 9, 1))
    s.year = make_year("2026-2027", status="active", starts_on=date(2026, 9, 1))
    s.pilot = make_cohort(year=s.pilot_year, framework=s.framework, name="Pilot 2025-2026")
    s.cohort = make_cohort(year=s.year, framework=s.framework, name="Talent 2026-2027")
    s.coach3 = make_user(name="Cody Three")
    s.pilot_dev = make_user(name="Pia Pilotdev")
    s.pilot_peer = make_user(name="Finn Formerpeer")
    s.dev = make_user(name="Dana Developer")
    s.peer = make_user(name="Perry Peer")
    s.outsider = make_user(name="Oona Outsider")
    s.lead = make_user(name="Lee Lead", lead=True)
    # The pilot: coach3 deferred, a fellow candidate completed, both in one peer group.
    add_member(s.pilot, s.pilot_dev, role="coach_developer")
    s.pilot_membership = add_member(s.pilot, s.coach3, status="deferred",
                                    developer=s.pilot_dev)
    fellow = add_member(s.pilot, s.pilot_peer, status="completed", developer=s.pilot_dev)
    make_peer_group(s.pilot, [s.pilot_membership, fellow], "Pilot circle")
    # 2026-2027: coach3 active with a peer group, an outsider and a coach developer.
    add_member(s.cohort, s.dev, role="coach_developer")
    s.membership = add_member(s.cohort, s.coach3, developer=s.dev)
    peer = add_member(s.cohort, s.peer, developer=s.dev)
    add_member(s.cohort, s.outsider, developer=s.dev)
    make_peer_group(s.cohort, [s.membership, peer], "Sprint circle")
    vp1 = competency(s.framework, "VP1")
    s.photo = evidence.upload_file(s.coach3, upload("track.png", image_bytes("PNG")),
                                   title="Track session photo").evidence
    s.entries = {tier: make_entry(s.coach3, cohort=s.cohort, privacy=tier,
                                  title=f"New year {tier} reflection", competencies=[vp1],
                                  evidence=[s.photo] if tier == "peers" else ())
                 for tier in TIERS}
    s.pilot_entry = make_entry(s.coach3, cohort=s.pilot, privacy="cohort", title=PILOT_ENTRY)
    s.comment = reviews.add_comment(s.entries["cohort"], s.peer, "Great cue words.")
    s.goal = make_goal(s.coach3, title=GOAL, privacy="cohort")
    s.statement = make_statement(s.coach3, body=PHILOSOPHY, privacy="cohort")
    db.session.commit()
    return s


@pytest.fixture
def story(app):
    return _story()


def _visible_titles(user):
    from sqlalchemy import select

    from portfolio.entries.models import Entry

    return set(db.session.scalars(select(Entry.title).where(visible_entries_filter(user))))


# --- the rule, as predicates and as SQL ------------------------------------------------------

@pytest.mark.parametrize("tier", TIERS)
def test_last_years_people_read_no_entry_of_the_new_year_at_any_tier(story, tier):
    entry = story.entries[tier]
    for outsider in (story.pilot_dev, story.pilot_peer):
        assert not can_view_entry(outsider, entry)
        assert readable_versions(outsider, entry, list(entry.versions)) == []
        assert entry.title not in _visible_titles(outsider)
        assert relations_to(outsider, story.coach3.id, entry.cohort_id) == set()
    assert can_view_entry(story.dev, entry)  # the tier's own audience still reads it
    assert entry.title in _visible_titles(story.dev)


def test_each_tier_still_admits_exactly_its_audience_in_the_entrys_cohort(story):
    readers = {"developers": {"dev", "lead"}, "peers": {"dev", "peer", "lead"},
               "cohort": {"dev", "peer", "outsider", "lead"}}
    people = ("dev", "peer", "outsider", "lead", "pilot_dev", "pilot_peer")
    for tier, expected in readers.items():
        entry = story.entries[tier]
        assert {name for name in people
                if can_view_entry(getattr(story, name), entry)} == expected, tier
        assert {name for name in people
                if entry.title in _visible_titles(getattr(story, name))} == expected, tier


def test_last_years_entry_stays_with_last_years_audience(story):
    entry = story.pilot_entry
    assert can_view_entry(story.pilot_dev, entry)  # kept as a record
    assert can_view_entry(story.pilot_peer, entry)
    for newcomer in (story.dev, story.peer, story.outsider):
        assert not can_view_entry(newcomer, entry)
        assert PILOT_ENTRY not in _visible_titles(newcomer)


def test_an_entry_outside_any_cohort_is_for_its_author_and_managers(story):
    loose = make_entry(story.coach3, cohort=None, privacy="cohort", title="Loose entry")
    assert can_view_entry(story.coach3, loose) and can_view_entry(story.lead, loose)
    for someone in (story.dev, story.peer, story.pilot_dev):
        assert not can_view_entry(someone, loose)
        assert "Loose entry" not in _visible_titles(someone)


def test_goals_and_philosophy_follow_the_current_cohort_only(story):
    for tier in ("developers", "peers", "cohort"):
        assert not can_view_owned(story.pilot_dev, story.coach3.id, tier)
        assert not can_view_owned(story.pilot_peer, story.coach3.id, tier)
    assert current_relations_to(story.pilot_dev, story.coach3.id) == set()
    assert can_view_owned(story.dev, story.coach3.id, "developers")
    assert can_view_owned(story.peer, story.coach3.id, "peers")
    assert can_view_owned(story.outsider, story.coach3.id, "cohort")


def test_a_closed_year_shares_no_goals_even_if_the_candidate_was_left_active(story):
    from portfolio.programmes.access import membership_in

    membership_in(story.pilot.id, story.coach3.id).status = "active"
    db.session.flush()
    assert not can_view_owned(story.pilot_dev, story.coach3.id, "developers")
    story.pilot_year.status = "active"  # reopened: the pilot is current again
    db.session.flush()
    assert can_view_owned(story.pilot_dev, story.coach3.id, "developers")


def test_a_deferred_or_completed_candidates_goals_leave_that_cohort(story):
    from portfolio.programmes.access import membership_in

    for status in ("deferred", "completed", "invited", "withdrawn"):
        membership_in(story.cohort.id, story.coach3.id).status = status
        db.session.flush()
        assert not can_view_owned(story.dev, story.coach3.id, "developers"), status
    assert can_view_owned(story.lead, story.coach3.id, "developers")


def test_peer_sign_off_needs_the_peer_group_of_the_entrys_cohort(story):
    entry = story.entries["peers"]
    vp1 = competency(story.framework, "VP1")
    assert not can_peer_signoff(story.pilot_peer, entry)
    with pytest.raises(DomainError):
        reviews.peer_signoff(entry, story.pilot_peer, vp1.id, "Convincing.")
    assert can_peer_signoff(story.peer, entry)
    assert reviews.peer_signoff(entry, story.peer, vp1.id, "Convincing.") is not None


def test_comments_and_evidence_follow_the_entry(story):
    for outsider in (story.pilot_dev, story.pilot_peer):
        assert not can_comment(outsider, story.entries["cohort"])
        assert not can_view_evidence(outsider, story.photo)
    assert can_view_evidence(story.peer, story.photo)


def test_the_overview_and_export_show_last_years_developer_only_last_years_entry(story):
    assert can_view_candidate(story.pilot_dev, story.coach3.id)  # reads the pilot entry
    doc = build_document(story.coach3, story.pilot_membership, story.pilot_dev)
    assert [view.title for view in doc.entries] == [PILOT_ENTRY]
    assert doc.philosophy is None
    # A manager's copy for one cohort holds that cohort's entries only.
    doc = build_document(story.coach3, story.membership, story.lead)
    assert PILOT_ENTRY not in {view.title for view in doc.entries}
    assert {f"New year {tier} reflection" for tier in TIERS} <= {v.title for v in doc.entries}


def test_the_overview_needs_a_current_relation_or_something_to_read(story):
    second = make_user(name="Quinn Quietpilot")
    add_member(story.pilot, second, role="coach_developer")
    assert can_view_candidate(second, story.coach3.id)  # the pilot entry is the pilot's
    story.pilot_entry.privacy = "private"
    db.session.flush()
    assert not can_view_candidate(second, story.coach3.id)
    assert not can_view_candidate(story.pilot_peer, story.coach3.id)


# --- every channel, over HTTP -----------------------------------------------------------------

def _pages(story):
    """(url, method, data) for each channel that shows coach3's new-year work."""
    pages = []
    for tier, entry in story.entries.items():
        base = f"/portfolio/entries/{entry.id}"
        pages += [(base, "GET", None), (f"{base}/versions", "GET", None),
                  (f"{base}/versions/1", "GET", None),
                  (f"/reviews/entries/{entry.id}/comments", "POST",
                   {"comment-body": "Sneaky comment."})]
    pages += [
        (f"/evidence/{story.photo.id}", "GET", None),
        (f"/evidence/{story.photo.id}/download", "GET", None),
        (f"/evidence/{story.photo.id}/file", "GET", None),
        (f"/evidence/{story.photo.id}/thumbnail", "GET", None),
        (f"/reviews/comments/{story.comment.id}/replies", "POST", {"reply-body": "Hi"}),
        (f"/portfolio/goals/{story.goal.id}", "GET", None),
        (f"/exports/candidates/{story.membership.id}/portfolio.html", "GET", None),
        (f"/exports/candidates/{story.membership.id}/portfolio.pdf", "GET", None),
        (f"/programme/cohorts/{story.cohort.id}", "GET", None),
        (f"/reviews/cohorts/{story.cohort.id}/candidates/{story.coach3.id}", "GET", None),
    ]
    return pages


SECRETS = (*(f"New year {tier} reflection" for tier in TIERS), GOAL, PHILOSOPHY,
           "Track session photo", "Great cue words.")


@pytest.mark.parametrize("who", ["pilot_dev", "pilot_peer"])
def test_last_years_people_get_404_on_every_channel_of_the_new_year(app, story, login, who):
    client = app.test_client()
    login(getattr(story, who), on=client)
    for url, method, data in _pages(story):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 404, f"{method} {url} as {who}"
    # Pages they may open (their own lists) never mention the new year's work either.
    for url in ("/portfolio/", "/reviews/dashboard", "/programme/my-cohort", "/exports/",
                f"/portfolio/candidates/{story.coach3.id}", "/notifications/"):
        body = client.get(url).get_data(as_text=True)
        for secret in SECRETS:
            assert secret not in body, f"{url} as {who} shows {secret!r}"


def test_last_years_developer_keeps_last_years_entry_and_its_export(app, story, login):
    client = app.test_client()
    login(story.pilot_dev, on=client)
    assert client.get(f"/portfolio/entries/{story.pilot_entry.id}").status_code == 200
    overview = client.get(f"/portfolio/candidates/{story.coach3.id}")
    assert overview.status_code == 200 and PILOT_ENTRY in overview.get_data(as_text=True)
    export = client.get(f"/exports/candidates/{story.pilot_membership.id}/portfolio.html")
    body = export.get_data(as_text=True)
    assert export.status_code == 200 and PILOT_ENTRY in body
    for secret in SECRETS:
        assert secret not in body
    dashboard = client.get("/reviews/dashboard").get_data(as_text=True)
    assert PILOT_ENTRY in dashboard  # last year's work still shows in last year's cohort


def test_this_years_cohort_reads_this_years_work_but_not_last_years(app, story, login):
    client = app.test_client()
    login(story.dev, on=client)
    assert client.get(f"/portfolio/entries/{story.pilot_entry.id}").status_code == 404
    overview = client.get(f"/portfolio/candidates/{story.coach3.id}").get_data(as_text=True)
    assert PILOT_ENTRY not in overview
    assert GOAL in overview and PHILOSOPHY in overview
    assert "New year developers reflection" in overview
    export = client.get(f"/exports/candidates/{story.membership.id}/portfolio.html")
    assert export.status_code == 200
    body = export.get_data(as_text=True)
    assert PILOT_ENTRY not in body and PHILOSOPHY in body
    for url in ("/reviews/dashboard", f"/programme/cohorts/{story.cohort.id}"):
        assert PILOT_ENTRY not in client.get(url).get_data(as_text=True)


# --- rollover ----------------------------------------------------------------------------------

def test_after_rollover_each_year_keeps_its_own_audience_and_signoffs_carry(app, story,
                                                                           login):
    """Carry coach3 (not the old developer) into 2027-2028 and write there."""
    from tests.exports.builders import add_signoff

    vp1 = competency(story.framework, "VP1")
    add_signoff(story.entries["developers"], story.dev, vp1)
    later_year = make_year("2027-2028", status="planning", starts_on=date(2027, 9, 1))
    plan = rollover.plan_rollover(story.cohort, later_year.id, story.framework.id,
                                  "Talent 2027-2028", [story.membership.id])
    later = rollover.execute_rollover(story.lead, plan)
    new_dev, new_peer = make_user(name="Nia Newdev"), make_user(name="Ned Newpeer")
    add_member(later, new_dev, role="coach_developer")
    from portfolio.programmes.access import membership_in

    carried = membership_in(later.id, story.coach3.id)
    make_peer_group(later, [carried, add_member(later, new_peer)], "New circle")
    new_entry = make_entry(story.coach3, cohort=later, privacy="cohort",
                           title="Next year cohort reflection")
    db.session.commit()

    for tier, entry in story.entries.items():
        assert not can_view_entry(new_dev, entry), tier
        assert not can_view_entry(new_peer, entry), tier
        assert can_view_entry(story.dev, entry), tier  # last year's developer keeps the record
    assert can_view_entry(new_dev, new_entry) and can_view_entry(new_peer, new_entry)
    assert not can_view_entry(story.dev, new_entry)
    assert not can_view_entry(story.peer, new_entry)

    client = app.test_client()
    login(new_dev, on=client)
    progress = client.get(f"/reviews/cohorts/{later.id}/candidates/{story.coach3.id}")
    body = progress.get_data(as_text=True)
    assert progress.status_code == 200
    # The carried sign-off shows as a record, without naming last year's entry.
    assert "Dana Developer" in body and "an entry not shared with you" in body
    assert "New year developers reflection" not in body
    assert client.get(f"/portfolio/entries/{story.entries['developers'].id}").status_code \
        == 404

    login(story.dev, on=client)
    old_progress = client.get(f"/reviews/cohorts/{story.cohort.id}/candidates/{story.coach3.id}")
    assert "New year developers reflection" in old_progress.get_data(as_text=True)
    assert client.get(f"/portfolio/entries/{new_entry.id}").status_code == 404
