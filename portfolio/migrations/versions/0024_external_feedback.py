"""external feedback: one-time links a candidate sends to someone without an account

`feedback_requests` holds each request (the token only as its SHA-256 hash, the session shown,
who was asked, expiry, withdrawal, use) with the daily-limit slot that a unique index settles;
`external_feedback` holds the one answer a link can give (unique per request).

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30 21:30:00

"""
import sqlalchemy as sa
from alembic import op

import portfolio.database

# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feedback_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('session_title', sa.String(length=200), nullable=False),
    sa.Column('session_date', sa.Date(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('recipient_name', sa.String(length=120), nullable=False),
    sa.Column('recipient_email', sa.String(length=254), nullable=False),
    sa.Column('relation', sa.Enum('head_coach', 'mentor', 'athlete', 'parent', 'other', name='relation', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('used_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('shared_with_peers', sa.Boolean(), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('quota_day', sa.Date(), nullable=False),
    sa.Column('quota_slot', sa.Integer(), nullable=False),
    sa.CheckConstraint('quota_slot >= 1', name=op.f('ck_feedback_requests_quota_slot_positive')),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_feedback_requests_candidate_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_feedback_requests_cohort_id_cohorts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], name=op.f('fk_feedback_requests_entry_id_entries'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_feedback_requests_outbox_message_id_outbox_messages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_requests')),
    sa.UniqueConstraint('candidate_id', 'quota_day', 'quota_slot', name='uq_feedback_requests_quota'),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feedback_requests_token_hash'))
    )
    with op.batch_alter_table('feedback_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_requests_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_requests_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_requests_outbox_message_id'), ['outbox_message_id'], unique=False)
        batch_op.create_index('ix_feedback_requests_candidate_created', ['candidate_id', 'created_at'], unique=False)

    op.create_table('external_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('went_well', sa.Text(), nullable=False),
    sa.Column('could_be_better', sa.Text(), nullable=False),
    sa.Column('comments', sa.Text(), nullable=False),
    sa.Column('giver_role', sa.String(length=200), nullable=False),
    sa.Column('attributed_name', sa.String(length=120), nullable=False),
    sa.Column('attributed_email', sa.String(length=254), nullable=False),
    sa.Column('submitted_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['feedback_requests.id'], name=op.f('fk_external_feedback_request_id_feedback_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_feedback')),
    sa.UniqueConstraint('request_id', name=op.f('uq_external_feedback_request_id'))
    )


def downgrade():
    op.drop_table('external_feedback')
    with op.batch_alter_table('feedback_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_requests_candidate_created')
        batch_op.drop_index(batch_op.f('ix_feedback_requests_outbox_message_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_requests_entry_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_requests_cohort_id'))
    op.drop_table('feedback_requests')
