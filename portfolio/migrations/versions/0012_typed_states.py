"""every state column accepts only its own values (CHECK constraints)

Status, kind, privacy, decision and role columns were plain VARCHARs: a typo in a raw UPDATE,
a script or a migration was stored and only surfaced as a page that could not draw the row.
Each column now has a CHECK constraint listing its values (the models' StrEnums, stored with
`Enum(native_enum=False, create_constraint=True)`). Values are written out here, as they were
when this migration was made, so later changes to the models do not change what it does.

Before adding the constraints, a value that differs from an allowed one only by case or
surrounding spaces is corrected; any other unknown value stops the upgrade with a list of
what was found, so nobody's data is guessed at.

SQLite cannot add a constraint to a table: batch mode rebuilds each table, and the
append-only triggers on sign-offs, which go with the old table, are installed again.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 14:10:00

"""
import sqlalchemy as sa
from alembic import op

from portfolio.database import append_only_statements

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

PRIVACY = ('private', 'peers', 'developers', 'cohort')

# table -> {constraint name (after "ck_<table>_"): (column, allowed values)}
STATES = {
    'users': {'email_preference': ('email_preference', ('immediate', 'daily', 'off'))},
    'account_tokens': {'purpose': ('purpose', ('reset', 'invite'))},
    'entries': {
        'privacy': ('privacy', PRIVACY),
        'pending_privacy': ('pending_privacy', ('',) + PRIVACY),
        'status': ('status', ('draft', 'published')),
        'review_status': ('review_status',
                          ('none', 'submitted', 'returned', 'reviewed', 'signed_off')),
    },
    'philosophy_statements': {'privacy': ('privacy', PRIVACY)},
    'goals': {
        'status': ('status', ('not_started', 'in_progress', 'achieved', 'dropped')),
        'privacy': ('privacy', PRIVACY),
    },
    'draft_rescues': {'target': ('target', ('entry', 'new_entry', 'philosophy', 'form'))},
    'programme_years': {'status': ('status', ('planning', 'active', 'closed', 'archived'))},
    'cohort_memberships': {
        'role': ('role', ('candidate', 'coach_developer')),
        'status': ('status', ('invited', 'active', 'deferred', 'withdrawn', 'completed')),
    },
    'member_imports': {'status': ('status', ('pending', 'confirmed'))},
    'frameworks': {'status': ('status', ('draft', 'published', 'retired'))},
    'jobs': {'status': ('status', ('queued', 'running', 'done', 'failed', 'expired'))},
    'outbox_messages': {'status': ('status', ('pending', 'sent', 'failed', 'discarded'))},
    'comments': {'kind': ('kind', ('comment', 'peer_feedback'))},
    'review_requests': {
        'status': ('status', ('open', 'in_review', 'withdrawn', 'returned', 'completed')),
    },
    'signoffs': {
        'role': ('role', ('coach_developer', 'peer')),
        'decision': ('decision', ('signed_off', 'not_yet')),
    },
}
# Their rows may never change, so nothing in them is corrected (the upgrade stops instead).
APPEND_ONLY = {'signoffs'}
# An empty review status was read as "no review" by the portfolio's filter.
EMPTY_MEANS = {('entries', 'review_status'): 'none'}


def _quoted(values) -> str:
    return ', '.join("'" + value.replace("'", "''") + "'" for value in values)


# Table and column names below come from STATES, never from data; found values are bound.
def _repair(connection, table, column, allowed) -> list[str]:
    """Correct case and spacing slips; return the values that are still unknown."""
    query = (f'SELECT DISTINCT {column} FROM {table} '  # noqa: S608  # nosec B608
             f'WHERE {column} NOT IN ({_quoted(allowed)})')  # names and values from STATES
    found = connection.execute(sa.text(query)).scalars().all()
    unknown = []
    for value in found:
        meant = value.strip().lower() or EMPTY_MEANS.get((table, column), '')
        if meant in allowed and table not in APPEND_ONLY:
            fix = f'UPDATE {table} SET {column} = :meant WHERE {column} = :value'  # noqa: S608  # nosec B608
            connection.execute(sa.text(fix), {'meant': meant, 'value': value})
        else:
            unknown.append(f'{table}.{column}: {value!r}')
    return unknown


def upgrade():
    connection = op.get_bind()
    unknown = [problem for table, checks in STATES.items()
               for column, allowed in checks.values()
               for problem in _repair(connection, table, column, allowed)]
    if unknown:
        raise RuntimeError('values outside their column\'s states; correct them and upgrade '
                           'again: ' + '; '.join(unknown))
    for table, checks in STATES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, (column, allowed) in checks.items():
                batch_op.create_check_constraint(
                    op.f(f'ck_{table}_{name}'), f'{column} IN ({_quoted(allowed)})')
    _reinstall_append_only_triggers(connection)


def downgrade():
    connection = op.get_bind()
    for table, checks in STATES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in checks:
                batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
    _reinstall_append_only_triggers(connection)


def _reinstall_append_only_triggers(connection):
    """SQLite drops a table's triggers with the table that batch mode replaced."""
    if connection.dialect.name != 'sqlite':
        return
    for table in APPEND_ONLY:
        for statement in append_only_statements(table, 'sqlite'):
            op.execute(statement.replace('CREATE TRIGGER', 'CREATE TRIGGER IF NOT EXISTS', 1))
