"""Demo portfolios: realistic, varied, linked to the demo cohort, and safe to seed twice."""

from sqlalchemy import func, select

from portfolio.demo import entries as demo_entries
from portfolio.demo import programmes as demo_programmes
from portfolio.demo import seed_accounts
from portfolio.entries.authoring import writing_membership
from portfolio.entries.models import Entry, EntryVersion, Goal, PhilosophyStatement
from portfolio.extensions import db

CANDIDATES = ("coach1@example.org", "coach2@example.org", "coach3@example.org")


def entries_of(user):
    return list(db.session.scalars(select(Entry).where(Entry.owner_id == user.id)))


def test_each_demo_candidate_gets_a_varied_portfolio_in_their_cohort(app):
    users, _ = seed_accounts()
    demo_programmes.seed(users)
    assert demo_entries.seed(users) is True
    for email in CANDIDATES:
        user = users[email]
        entries = entries_of(user)
        cohort_id = writing_membership(user).cohort_id
        assert 4 <= len(entries) <= 6
        assert {entry.cohort_id for entry in entries} == {cohort_id}
        assert len({entry.reflection_model for entry in entries}) >= 3
        assert len({entry.privacy for entry in entries}) >= 2
        dates = sorted(entry.practice_date for entry in entries)
        assert (dates[-1] - dates[0]).days >= 60
        assert all(entry.claims for entry in entries)
        assert db.session.scalar(select(PhilosophyStatement.latest_version_number).where(
            PhilosophyStatement.owner_id == user.id)) >= 1
        assert db.session.scalar(select(func.count()).select_from(Goal).where(
            Goal.owner_id == user.id)) >= 2
    versions = db.session.scalar(select(func.count()).select_from(EntryVersion))
    assert demo_entries.seed(users) is False  # idempotent
    assert db.session.scalar(select(func.count()).select_from(EntryVersion)) == versions


def test_entries_seeded_before_the_cohort_exists_are_linked_later(app):
    users, _ = seed_accounts()
    demo_entries.seed(users)
    assert {entry.cohort_id for entry in entries_of(users["coach1@example.org"])} == {None}
    demo_programmes.seed(users)
    assert demo_entries.seed(users) is True
    for entry in entries_of(users["coach1@example.org"]):
        assert entry.cohort_id == writing_membership(users["coach1@example.org"]).cohort_id
        assert entry.claims
