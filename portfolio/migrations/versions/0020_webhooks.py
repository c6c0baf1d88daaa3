"""webhooks: endpoints that programme leads register, and the queue of signed deliveries

`webhook_endpoints` holds each endpoint's address, chosen events and signing secret;
`webhook_deliveries` one row per event and endpoint, written in the transaction of the change
it reports, with its status, attempts, next try and a short excerpt of the last answer, and
the person it is about (for their personal-data download and erasure).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 10:00:00

"""
from alembic import op
import sqlalchemy as sa

import portfolio.database


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

EVENT_TYPES = ('programme.completed', 'programme.completion_revoked', 'signoff.recorded',
               'membership.changed', 'webhook.test')


def upgrade():
    op.create_table('webhook_endpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('secret', sa.String(length=100), nullable=False),
    sa.Column('events', sa.String(length=300), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.Column('disabled_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('disabled_reason', sa.String(length=200), nullable=True),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_endpoints')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_webhook_endpoints_submission_key'))
    )
    op.create_table('webhook_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('endpoint_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('event_type', sa.Enum(*EVENT_TYPES, name='event_type', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('occurred_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('subject_user_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'delivered', 'failed', name='status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('locked_until', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_attempt_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('response_code', sa.Integer(), nullable=True),
    sa.Column('response_excerpt', sa.String(length=200), nullable=True),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('delivered_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['endpoint_id'], ['webhook_endpoints.id'], name=op.f('fk_webhook_deliveries_endpoint_id_webhook_endpoints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_user_id'], ['users.id'], name=op.f('fk_webhook_deliveries_subject_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries'))
    )
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_webhook_deliveries_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_deliveries_endpoint_id'), ['endpoint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_deliveries_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_deliveries_subject_user_id'), ['subject_user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_deliveries_subject_user_id'))
        batch_op.drop_index(batch_op.f('ix_webhook_deliveries_event_id'))
        batch_op.drop_index(batch_op.f('ix_webhook_deliveries_endpoint_id'))
        batch_op.drop_index('ix_webhook_deliveries_due')
    op.drop_table('webhook_deliveries')
    op.drop_table('webhook_endpoints')
