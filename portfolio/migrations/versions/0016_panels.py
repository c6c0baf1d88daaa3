"""panels: end-of-programme review panels, their members, private notes and outcomes

Outcome options are a list the leads manage (four defaults seeded here). A panel outcome is
append-only: triggers make the database refuse UPDATE and DELETE, as for sign-offs. One panel
per cohort and candidate may wait for an outcome at a time (a partial unique index).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa

import portfolio.database
from portfolio.database import append_only_statements, drop_append_only_statements

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

APPEND_ONLY = ['panel_outcomes']
DEFAULT_OUTCOMES = [
    # label, completes the programme, needs an extension in months
    ('Complete', True, False),
    ('Complete with conditions', True, False),
    ('Extend by N months', False, True),
    ('Not yet', False, False),
]


def upgrade():
    op.create_table('panel_outcome_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('completes_programme', sa.Boolean(), nullable=False),
    sa.Column('needs_extension', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_outcome_options')),
    sa.UniqueConstraint('label', name=op.f('uq_panel_outcome_options_label'))
    )
    op.create_table('review_panels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('panel_on', sa.Date(), nullable=False),
    sa.Column('window_opens_on', sa.Date(), nullable=False),
    sa.Column('window_closes_on', sa.Date(), nullable=False),
    sa.Column('chair_id', sa.Integer(), nullable=False),
    sa.Column('showcase_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.Enum('scheduled', 'decided', 'cancelled', name='status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('scheduled_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_review_panels_candidate_id_users')),
    sa.ForeignKeyConstraint(['chair_id'], ['users.id'], name=op.f('fk_review_panels_chair_id_users')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_review_panels_cohort_id_cohorts')),
    sa.ForeignKeyConstraint(['scheduled_by_id'], ['users.id'], name=op.f('fk_review_panels_scheduled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['showcase_id'], ['showcases.id'], name=op.f('fk_review_panels_showcase_id_showcases'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_panels'))
    )
    with op.batch_alter_table('review_panels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_panels_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_panels_chair_id'), ['chair_id'], unique=False)
        batch_op.create_index('ix_review_panels_cohort_candidate', ['cohort_id', 'candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_panels_scheduled_by_id'), ['scheduled_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_panels_showcase_id'), ['showcase_id'], unique=False)
        batch_op.create_index('uq_review_panels_one_waiting', ['cohort_id', 'candidate_id'], unique=True, sqlite_where=sa.text("status = 'scheduled'"), postgresql_where=sa.text("status = 'scheduled'"))

    op.create_table('panel_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('seat', sa.Enum('coach_developer', 'lead', 'external', name='seat', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('added_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['panel_id'], ['review_panels.id'], name=op.f('fk_panel_members_panel_id_review_panels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_panel_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_members')),
    sa.UniqueConstraint('panel_id', 'user_id', name=op.f('uq_panel_members_panel_id_user_id'))
    )
    with op.batch_alter_table('panel_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_panel_members_user_id'), ['user_id'], unique=False)

    op.create_table('panel_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_panel_notes_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['panel_id'], ['review_panels.id'], name=op.f('fk_panel_notes_panel_id_review_panels'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_notes')),
    sa.UniqueConstraint('panel_id', 'author_id', name=op.f('uq_panel_notes_panel_id_author_id'))
    )
    with op.batch_alter_table('panel_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_panel_notes_author_id'), ['author_id'], unique=False)

    op.create_table('panel_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=True),
    sa.Column('option_label', sa.String(length=80), nullable=False),
    sa.Column('completes_programme', sa.Boolean(), nullable=False),
    sa.Column('extension_months', sa.Integer(), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_panel_outcomes_decided_by_id_users')),
    sa.ForeignKeyConstraint(['option_id'], ['panel_outcome_options.id'], name=op.f('fk_panel_outcomes_option_id_panel_outcome_options')),
    sa.ForeignKeyConstraint(['panel_id'], ['review_panels.id'], name=op.f('fk_panel_outcomes_panel_id_review_panels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_outcomes')),
    sa.UniqueConstraint('panel_id', name=op.f('uq_panel_outcomes_panel_id'))
    )
    with op.batch_alter_table('panel_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_panel_outcomes_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_panel_outcomes_option_id'), ['option_id'], unique=False)
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        for statement in append_only_statements(table, dialect):
            op.execute(statement)
    options = sa.table('panel_outcome_options', sa.column('label', sa.String),
                       sa.column('completes_programme', sa.Boolean),
                       sa.column('needs_extension', sa.Boolean), sa.column('position', sa.Integer),
                       sa.column('retired', sa.Boolean),
                       sa.column('created_at', portfolio.database.UTCDateTime(timezone=True)))
    now = portfolio.database.utcnow()
    op.bulk_insert(options, [
        {'label': label, 'completes_programme': completes, 'needs_extension': extends,
         'position': position, 'retired': False, 'created_at': now}
        for position, (label, completes, extends) in enumerate(DEFAULT_OUTCOMES)])


def downgrade():
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        for statement in drop_append_only_statements(table, dialect):
            op.execute(statement)
    with op.batch_alter_table('panel_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_panel_outcomes_option_id'))
        batch_op.drop_index(batch_op.f('ix_panel_outcomes_decided_by_id'))

    op.drop_table('panel_outcomes')
    with op.batch_alter_table('panel_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_panel_notes_author_id'))

    op.drop_table('panel_notes')
    with op.batch_alter_table('panel_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_panel_members_user_id'))

    op.drop_table('panel_members')
    with op.batch_alter_table('review_panels', schema=None) as batch_op:
        batch_op.drop_index('uq_review_panels_one_waiting', sqlite_where=sa.text("status = 'scheduled'"), postgresql_where=sa.text("status = 'scheduled'"))
        batch_op.drop_index(batch_op.f('ix_review_panels_showcase_id'))
        batch_op.drop_index(batch_op.f('ix_review_panels_scheduled_by_id'))
        batch_op.drop_index('ix_review_panels_cohort_candidate')
        batch_op.drop_index(batch_op.f('ix_review_panels_chair_id'))
        batch_op.drop_index(batch_op.f('ix_review_panels_candidate_id'))

    op.drop_table('review_panels')
    op.drop_table('panel_outcome_options')
