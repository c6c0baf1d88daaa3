"""Search returns exactly what each person may read, over random privacy tiers, peer groups,
membership states and an earlier cohort: the SQL filter in the search query agrees with the
Python predicates every page uses (can_view_entry, can_view_owned) for every viewer."""

from __future__ import annotations

import itertools
from datetime import date

from flask_login import login_user
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio.entries.authoring import can_view_owned
from portfolio.entries.models import Entry
from portfolio.entries.permissions import can_view_entry
from portfolio.extensions import db
from portfolio.observations.models import Observation
from portfolio.observations.permissions import can_view_observation
from portfolio.reviews.models import Comment
from portfolio.search import queries
from tests.entries.builders import make_goal, make_statement
from tests.factories import (
    add_member,
    make_cohort,
    make_entry,
    make_framework,
    make_peer_group,
    make_user,
    make_year,
)
from tests.observations.builders import default_template

TIERS = ("private", "developers", "peers", "cohort")
_world_number = itertools.count()

PERSON = st.fixed_dictionaries({
    "status": st.sampled_from(("active", "active", "withdrawn", "completed", "deferred")),
    "group": st.sampled_from((0, 1, None)),
    "entry_tier": st.sampled_from(TIERS),
    "entry_saved": st.booleans(),
    "goal_tier": st.sampled_from(TIERS),
    "philosophy_tier": st.sampled_from(TIERS),
    "earlier": st.booleans(),  # also a candidate of last year's cohort, with an entry there
    "earlier_tier": st.sampled_from(TIERS),
    # an observation of their session by the cohort's coach developer (and one last year)
    "observed": st.booleans(),
    "observation_shared": st.booleans(),
})


def _build(people, year_status, word):
    framework = make_framework()
    year = make_year(status=year_status)
    cohort = make_cohort(year=year, framework=framework)
    earlier_year = make_year(status="closed", starts_on=date(2025, 9, 1))
    earlier = make_cohort(year=earlier_year, framework=framework)
    developer, earlier_developer = make_user(), make_user()
    add_member(cohort, developer, role="coach_developer")
    add_member(earlier, earlier_developer, role="coach_developer")
    viewers = [developer, earlier_developer, make_user(lead=True), make_user()]
    groups: dict[int, list] = {0: [], 1: []}
    for spec in people:
        user = make_user()
        viewers.append(user)
        membership = add_member(cohort, user, status=spec["status"], developer=developer)
        if spec["group"] is not None:
            groups[spec["group"]].append(membership)
        entry = make_entry(user, cohort=cohort, privacy=spec["entry_tier"],
                           published=spec["entry_saved"], title=f"{word} entry",
                           sections={"what": f"{word} session", "so_what": "x",
                                     "now_what": "y"})
        if spec["entry_saved"]:
            db.session.add(Comment(entry_id=entry.id, author_id=user.id,
                                   body=f"{word} note on my own entry"))
        make_goal(user, title=f"{word} goal", privacy=spec["goal_tier"])
        make_statement(user, body=f"{word} philosophy", privacy=spec["philosophy_tier"])
        if spec["observed"]:
            _observation(cohort, user, developer, spec["observation_shared"], word)
        if spec["earlier"]:
            add_member(earlier, user, status="completed", developer=earlier_developer)
            make_entry(user, cohort=earlier, privacy=spec["earlier_tier"],
                       title=f"{word} earlier entry",
                       sections={"what": f"{word} last year", "so_what": "x", "now_what": "y"})
            if spec["observed"]:
                _observation(earlier, user, earlier_developer, spec["observation_shared"], word)
    for members in groups.values():
        if members:
            make_peer_group(cohort, members)
    db.session.commit()
    return viewers


def _observation(cohort, candidate, observer, shared, word):
    template = default_template(cohort.framework)
    db.session.add(Observation(
        cohort_id=cohort.id, candidate_id=candidate.id, observer_id=observer.id,
        template_id=template.id, observed_on=date(2026, 10, 14), venue="Track",
        strengths=f"{word} observed strengths", shared_with_peers=shared))


def _expected(viewer, word):
    from portfolio.entries.models import Goal, PhilosophyStatement

    expected = set()
    for entry in db.session.scalars(db.select(Entry).where(Entry.title.startswith(word))):
        if entry.latest_version_number and can_view_entry(viewer, entry):
            expected.add(("entry", entry.id))
            expected.update(("comment", c.id) for c in db.session.scalars(
                db.select(Comment).where(Comment.entry_id == entry.id)))
    for goal in db.session.scalars(db.select(Goal).where(Goal.title.startswith(word))):
        if can_view_owned(viewer, goal.owner_id, goal.privacy):
            expected.add(("goal", goal.id))
    for statement in db.session.scalars(db.select(PhilosophyStatement).where(
            PhilosophyStatement.body.startswith(word))):
        if can_view_owned(viewer, statement.owner_id, statement.privacy):
            expected.add(("philosophy", statement.id))
    for observation in db.session.scalars(db.select(Observation).where(
            Observation.strengths.startswith(word))):
        if can_view_observation(viewer, observation):
            expected.add(("observation", observation.id))
    return expected


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(people=st.lists(PERSON, min_size=1, max_size=4),
       year_status=st.sampled_from(("active", "planning", "closed")))
def test_every_viewer_finds_exactly_what_the_pages_let_them_read(app, people, year_status):
    word = f"zq{next(_world_number)}x"
    viewers = _build(people, year_status, word)
    for viewer in viewers:
        with app.test_request_context("/search/"):
            login_user(viewer)
            found = queries.search(viewer, word, per_page=500)
            got = {(result.kind, result.ref_id) for result in found.results}
            assert found.total == len(got)
            assert got == _expected(viewer, word), viewer.display_name
