"""credentials: revocable programme completions and the completion credentials issued for them

A completion can now be revoked (programme_completion_revocations, append-only like the
completions) and recorded again: a membership's completions are numbered, unique per membership
and number, so two leads recording at once still collide. Existing completions become number 1.
`credentials` holds each completion's signed Open Badges 3.0 document.
Downgrading fails while a membership has more than one completion (the old schema allowed one).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa

import portfolio.database
from portfolio.database import append_only_statements, drop_append_only_statements


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

APPEND_ONLY = ['programme_completion_revocations']


def upgrade():
    connection = op.get_bind()
    with op.batch_alter_table('programme_completions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), server_default=sa.text('1'), nullable=False))
        batch_op.drop_constraint(batch_op.f('uq_programme_completions_membership_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_programme_completions_membership_id_number'), ['membership_id', 'number'])

    op.create_table('credentials',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('completion_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('revoked_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revocation_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['completion_id'], ['programme_completions.id'], name=op.f('fk_credentials_completion_id_programme_completions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['membership_id'], ['cohort_memberships.id'], name=op.f('fk_credentials_membership_id_cohort_memberships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_credentials_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credentials')),
    sa.UniqueConstraint('completion_id', name=op.f('uq_credentials_completion_id'))
    )
    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credentials_membership_id'), ['membership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_credentials_user_id'), ['user_id'], unique=False)

    op.create_table('programme_completion_revocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('completion_id', sa.Integer(), nullable=False),
    sa.Column('revoked_by_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['completion_id'], ['programme_completions.id'], name=op.f('fk_programme_completion_revocations_completion_id_programme_completions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_programme_completion_revocations_revoked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_completion_revocations')),
    sa.UniqueConstraint('completion_id', name=op.f('uq_programme_completion_revocations_completion_id'))
    )
    with op.batch_alter_table('programme_completion_revocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_completion_revocations_revoked_by_id'), ['revoked_by_id'], unique=False)

    for table in APPEND_ONLY:
        for statement in append_only_statements(table, connection.dialect.name):
            op.execute(statement)
    _reinstall_completion_triggers(connection)


def downgrade():
    connection = op.get_bind()
    for table in APPEND_ONLY:
        for statement in drop_append_only_statements(table, connection.dialect.name):
            op.execute(statement)
    with op.batch_alter_table('programme_completion_revocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_completion_revocations_revoked_by_id'))

    op.drop_table('programme_completion_revocations')
    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credentials_user_id'))
        batch_op.drop_index(batch_op.f('ix_credentials_membership_id'))

    op.drop_table('credentials')
    with op.batch_alter_table('programme_completions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_programme_completions_membership_id_number'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_programme_completions_membership_id'), ['membership_id'])
        batch_op.drop_column('number')
    _reinstall_completion_triggers(connection)


def _reinstall_completion_triggers(connection):
    """SQLite drops a table's triggers with the table that batch mode replaced."""
    if connection.dialect.name != 'sqlite':
        return
    for statement in append_only_statements('programme_completions', 'sqlite'):
        op.execute(statement.replace('CREATE TRIGGER', 'CREATE TRIGGER IF NOT EXISTS', 1))
