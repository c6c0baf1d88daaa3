"""idempotency keys: a form a phone's outbox sends again takes effect once

Each row is one sent-once key a person's form was sent with, unique per person, and the
address of what it created, so a retried or doubled send is answered with the first result.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-01 01:00:00

"""
import sqlalchemy as sa
from alembic import op

import portfolio.database

# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('idempotency_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('result_url', sa.String(length=300), nullable=True),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_idempotency_keys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_keys')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_idempotency_keys_user_id_key'))
    )


def downgrade():
    op.drop_table('idempotency_keys')
