"""States are types: every state column loads as its StrEnum and the database refuses a typo,
on SQLite and PostgreSQL, whether the schema came from the models or from migration 0012."""

from datetime import date, timedelta

import pytest
from alembic import command as alembic_command
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError

from portfolio import create_app
from portfolio.auth.models import AccountToken, EmailPreference, TokenPurpose, User
from portfolio.database import utcnow
from portfolio.entries.models import (
    DraftRescue,
    Entry,
    EntryStatus,
    Goal,
    GoalStatus,
    PhilosophyStatement,
    PrivacyTier,
    RescueTarget,
    ReviewStatus,
)
from portfolio.exports.models import Job, JobStatus
from portfolio.extensions import db
from portfolio.frameworks.models import Framework, FrameworkStatus
from portfolio.mail.models import OutboxMessage, OutboxStatus
from portfolio.programmes.models import (
    CohortMembership,
    ImportStatus,
    MemberImport,
    MemberRole,
    MembershipStatus,
    ProgrammeYear,
    YearStatus,
)
from portfolio.reviews.models import (
    Comment,
    CommentKind,
    Decision,
    RequestStatus,
    ReviewRequest,
    Signoff,
    SignoffRole,
)
from tests.conftest import base_config
from tests.core.test_migrations import PREVIOUS_HEAD_ROWS, empty_database  # noqa: F401
from tests.factories import competency, make_entry, make_scenario

# (table, column, a value the world below holds there); the check is named ck_<table>_<column>.
STATE_COLUMNS = [
    ("users", "email_preference", EmailPreference.IMMEDIATE),
    ("account_tokens", "purpose", TokenPurpose.RESET),
    ("entries", "privacy", PrivacyTier.PEERS),
    ("entries", "status", EntryStatus.PUBLISHED),
    ("entries", "review_status", ReviewStatus.SUBMITTED),
    ("philosophy_statements", "privacy", PrivacyTier.DEVELOPERS),
    ("goals", "status", GoalStatus.IN_PROGRESS),
    ("goals", "privacy", PrivacyTier.DEVELOPERS),
    ("draft_rescues", "target", RescueTarget.NEW_ENTRY),
    ("programme_years", "status", YearStatus.ACTIVE),
    ("cohort_memberships", "role", MemberRole.COACH_DEVELOPER),
    ("cohort_memberships", "status", MembershipStatus.ACTIVE),
    ("member_imports", "status", ImportStatus.PENDING),
    ("frameworks", "status", FrameworkStatus.PUBLISHED),
    ("jobs", "status", JobStatus.QUEUED),
    ("outbox_messages", "status", OutboxStatus.PENDING),
    ("comments", "kind", CommentKind.PEER_FEEDBACK),
    ("review_requests", "status", RequestStatus.IN_REVIEW),
    ("signoffs", "role", SignoffRole.COACH_DEVELOPER),
    ("signoffs", "decision", Decision.NOT_YET),
]
MODELS = {"users": User, "account_tokens": AccountToken, "entries": Entry,
          "philosophy_statements": PhilosophyStatement, "goals": Goal,
          "draft_rescues": DraftRescue, "programme_years": ProgrammeYear,
          "cohort_memberships": CohortMembership, "member_imports": MemberImport,
          "frameworks": Framework, "jobs": Job, "outbox_messages": OutboxMessage,
          "comments": Comment, "review_requests": ReviewRequest, "signoffs": Signoff}


def build_world():
    """One row in every table with a state column, each holding the value STATE_COLUMNS names."""
    s = make_scenario()
    first = competency(s.framework, s.framework.competencies[0].code)
    entry = make_entry(s.author, cohort=s.cohort, competencies=[first])
    version = entry.versions[0]
    request = ReviewRequest(entry_id=entry.id, entry_version_id=version.id,
                            candidate_id=s.author.id, cohort_id=s.cohort.id,
                            due_on=date(2026, 11, 1), status=RequestStatus.IN_REVIEW)
    entry.review_status = ReviewStatus.SUBMITTED
    db.session.add_all([
        request,
        AccountToken(user_id=s.author.id, purpose=TokenPurpose.RESET, token_hash="t" * 64,
                     expires_at=utcnow() + timedelta(hours=1)),
        PhilosophyStatement(owner_id=s.author.id),
        Goal(owner_id=s.author.id, title="Faster starts", status=GoalStatus.IN_PROGRESS),
        DraftRescue(key_hash="k" * 64, user_id=s.author.id, target=RescueTarget.NEW_ENTRY,
                    payload={}),
        MemberImport(cohort_id=s.cohort.id, created_by_id=s.lead.id, file_digest="d" * 64,
                     rows=[]),
        Job(requested_by_id=s.lead.id, kind="cohort_archive"),
        OutboxMessage(to_address="a@example.test", subject="Hello", body_text="Hi"),
        Comment(entry_id=entry.id, author_id=s.peer.id, kind=CommentKind.PEER_FEEDBACK),
    ])
    db.session.flush()
    db.session.add(Signoff(
        role=SignoffRole.COACH_DEVELOPER, decision=Decision.NOT_YET, candidate_id=s.author.id,
        reviewer_id=s.developer.id, competency_id=first.id, competency_code=first.code,
        entry_id=entry.id, entry_version_id=version.id, version_number=1,
        content_hash=version.content_hash, review_request_id=request.id))
    db.session.commit()
    return s


def refuse_unknown(connection, table, column, good):
    """Write 'typo' into the column by raw SQL: the database must refuse it by name."""
    if table == "signoffs":  # append-only: a copy of the row, with the typo, is inserted
        names = [c["name"] for c in inspect(connection).get_columns(table) if c["name"] != "id"]
        chosen = ", ".join("'typo'" if name == column else name for name in names)
        statement = (f"INSERT INTO {table} ({', '.join(names)}) "
                     f"SELECT {chosen} FROM {table} WHERE {column} = '{good}'")
    else:
        statement = f"UPDATE {table} SET {column} = 'typo' WHERE {column} = '{good}'"
    with pytest.raises(IntegrityError) as refused, connection.begin_nested():
        connection.execute(text(statement))
    assert f"ck_{table}_{column}" in str(refused.value)


@pytest.mark.parametrize(("table", "column", "good"), STATE_COLUMNS,
                         ids=[f"{t}.{c}" for t, c, _ in STATE_COLUMNS])
def test_database_refuses_an_unknown_state_and_loading_gives_the_member(app, table, column,
                                                                        good):
    build_world()
    with db.engine.connect() as connection:
        held = connection.execute(
            text(f"SELECT count(*) FROM {table} WHERE {column} = :good"), {"good": good})
        assert held.scalar() >= 1, "the world holds no row to try the typo on"
        refuse_unknown(connection, table, column, good)
    attribute = getattr(MODELS[table], column)
    assert db.session.query(attribute).filter(attribute == good).first()[0] is good


def test_pending_privacy_accepts_nothing_pending_or_a_tier_only(app):
    s = build_world()
    entry = db.session.query(Entry).filter_by(owner_id=s.author.id).one()
    assert entry.pending_privacy == ""
    with db.engine.connect() as connection:
        connection.execute(text("UPDATE entries SET pending_privacy = 'cohort'"))
        with pytest.raises(IntegrityError, match="ck_entries_pending_privacy"):
            connection.execute(text("UPDATE entries SET pending_privacy = 'everyone'"))


def _check_names(connection) -> set[str]:
    inspector = inspect(connection)
    return {check["name"] for table in inspector.get_table_names()
            for check in inspector.get_check_constraints(table)}


def test_migration_0012_adds_the_models_checks_repairs_slips_and_downgrades(
        app, tmp_path, empty_database):  # noqa: F811
    with db.engine.connect() as connection:
        from_models = _check_names(connection)
    assert {f"ck_{table}_{column}" for table, column, _ in STATE_COLUMNS} <= from_models
    migrated = create_app(base_config(tmp_path, empty_database))
    with migrated.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as connection:
            for statement in PREVIOUS_HEAD_ROWS:
                connection.execute(text(statement.format(now="CURRENT_TIMESTAMP")))
        upgrade(revision="0011")
        with db.engine.begin() as connection:
            # A slip of case and spacing is corrected rather than refused, and an empty review
            # status (which the portfolio's filter read as "no review") becomes "none".
            connection.execute(text("UPDATE entries SET privacy = ' Peers', review_status = ''"))
        upgrade(revision="0012")
        with db.engine.connect() as connection:
            # Every check of the tables that existed then (later migrations add their own).
            tables = set(sa_inspect(connection).get_table_names())
            assert _check_names(connection) == {
                name for name in from_models
                if any(name.startswith(f"ck_{table}_") for table in tables)}
            assert connection.execute(text("SELECT privacy, review_status FROM entries")).one() \
                == ("peers", "none")
            refuse_unknown(connection, "review_requests", "status", "open")
            refuse_unknown(connection, "entries", "review_status", "none")
        downgrade(revision="0011")
        with db.engine.begin() as connection:
            assert _check_names(connection) == set()
            connection.execute(text("UPDATE review_requests SET status = 'typo'"))
        db.engine.dispose()


def test_migration_0012_stops_on_a_value_it_cannot_place(tmp_path, empty_database):  # noqa: F811
    app = create_app(base_config(tmp_path, empty_database))
    with app.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as connection:
            for statement in PREVIOUS_HEAD_ROWS:
                connection.execute(text(statement.format(now="CURRENT_TIMESTAMP")))
        upgrade(revision="0011")
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE review_requests SET status = 'pending'"))
        # Through Alembic itself: Flask-Migrate would log the error and exit.
        config = app.extensions["migrate"].migrate.get_config()
        with pytest.raises(RuntimeError, match="review_requests.status: 'pending'"):
            alembic_command.upgrade(config, "0012")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT status FROM review_requests")).scalar() \
                == "pending"
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() \
                == "0011"
        db.engine.dispose()
