"""Sign-off records never change: the ORM refuses, and the database refuses raw SQL too.
Editing the entry afterwards leaves each sign-off with the version and hash it approved."""

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DatabaseError

from portfolio.extensions import db
from portfolio.reviews import services
from portfolio.reviews.models import (
    AppendOnlyViolation,
    ProgrammeCompletion,
    Signoff,
    SignoffRevocation,
)
from tests.factories import add_version
from tests.reviews.builders import decide, scenario_with_entry, submit


@pytest.fixture
def signed(app):
    s = scenario_with_entry()
    review_request = submit(s)
    s.signoffs = decide(s, review_request, {"VP1": ("signed_off", "Yes"),
                                            "VP2": ("not_yet", "Needs a target.")})
    s.revocation = services.revoke_signoff(s.signoffs[0], s.lead, "Recorded on the wrong entry.")
    db.session.commit()
    return s


def test_the_orm_refuses_to_change_or_delete_a_sign_off(signed):
    signoff = db.session.get(Signoff, signed.signoffs[0].id)
    signoff.feedback = "Edited later"
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()
    signoff = db.session.get(Signoff, signed.signoffs[0].id)
    db.session.delete(signoff)
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()
    revocation = db.session.get(SignoffRevocation, signed.revocation.id)
    revocation.reason = "Changed my mind"
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("statement", [
    update(Signoff).values(decision="signed_off"),
    delete(Signoff),
    update(SignoffRevocation).values(reason="rewritten"),
    delete(SignoffRevocation),
])
def test_the_database_refuses_bulk_orm_statements(signed, statement):
    """Bulk statements skip the ORM's events, so only the triggers stand in the way."""
    with pytest.raises(DatabaseError):
        db.session.execute(statement.execution_options(synchronize_session=False))
    db.session.rollback()


@pytest.mark.parametrize("sql", [
    "UPDATE signoffs SET feedback = 'forged', decision = 'signed_off'",
    "DELETE FROM signoffs",
    "UPDATE signoff_revocations SET reason = 'forged'",
    "DELETE FROM signoff_revocations",
    "UPDATE programme_completions SET note = 'forged'",
    "DELETE FROM programme_completions",
])
def test_the_database_refuses_raw_sql(signed, sql):
    completion = ProgrammeCompletion(membership_id=signed.author_membership.id,
                                     recorded_by_id=signed.lead.id)
    db.session.add(completion)
    db.session.commit()
    with pytest.raises(DatabaseError), db.engine.begin() as connection:
        connection.execute(text(sql))
    db.session.expire_all()
    assert db.session.get(Signoff, signed.signoffs[1].id).feedback == "Needs a target."
    assert db.session.get(SignoffRevocation, signed.revocation.id).reason == \
        "Recorded on the wrong entry."


def test_editing_the_entry_leaves_the_sign_off_with_its_version(signed):
    first = db.session.get(Signoff, signed.signoffs[0].id)
    hash_then, version_then = first.content_hash, first.entry_version_id
    signed.entry.sections = {"what": "Completely rewritten."}
    add_version(signed.entry)
    db.session.commit()
    db.session.expire_all()
    first = db.session.get(Signoff, signed.signoffs[0].id)
    assert (first.content_hash, first.entry_version_id, first.version_number) == (
        hash_then, version_then, 1)
    assert first.entry_version.content_hash == hash_then
    assert signed.entry.latest_version_number == 2
