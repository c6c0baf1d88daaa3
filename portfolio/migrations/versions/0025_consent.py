"""consent: records of consent for evidence and observations showing athletes under 18

One row per evidence item or observation (unique), kept after the item is deleted (SET NULL)
so the lead's report keeps the history: who gave consent, the date, the scope, when it was
withdrawn and when the item was deleted.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 01:30:00

"""
from alembic import op
import sqlalchemy as sa

import portfolio.database


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consent_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('observation_id', sa.Integer(), nullable=True),
    sa.Column('subject_title', sa.String(length=200), nullable=False),
    sa.Column('flagged_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('given_by_name', sa.String(length=120), nullable=True),
    sa.Column('giver_relationship', sa.Enum('parent', 'carer', 'guardian', name='giver_relationship', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('given_on', sa.Date(), nullable=True),
    sa.Column('scope', sa.Enum('assessment', 'wider', name='consent_scope', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('recorded_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('deletion_due_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_consent_records_evidence_id_evidence'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_consent_records_observation_id_observations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_consent_records_owner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_consent_records_withdrawn_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_records')),
    sa.UniqueConstraint('evidence_id', name=op.f('uq_consent_records_evidence_id')),
    sa.UniqueConstraint('observation_id', name=op.f('uq_consent_records_observation_id'))
    )
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_records_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_records_deletion_due_at'), ['deletion_due_at'], unique=False)


def downgrade():
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_records_deletion_due_at'))
        batch_op.drop_index(batch_op.f('ix_consent_records_owner_id'))

    op.drop_table('consent_records')
