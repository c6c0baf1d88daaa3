"""sign-in throttle by account and address, one-time link use

The throttle asks "failures for this account from this address" (a new index); forgotten-
password forms are queued for the worker (password_reset_requests); mail is delivered by the
worker with back-off and a claim (two outbox columns).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 06:20:00

"""
from alembic import op
import sqlalchemy as sa

import portfolio.database


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempts_pair_time', ['email', 'address', 'created_at'],
                              unique=False)

    op.create_table('password_reset_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('handled_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_requests'))
    )
    with op.batch_alter_table('password_reset_requests', schema=None) as batch_op:
        batch_op.create_index('ix_password_reset_requests_address_time', ['address', 'created_at'],
                              unique=False)
        batch_op.create_index('ix_password_reset_requests_email_time', ['email', 'created_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_password_reset_requests_handled_at'), ['handled_at'],
                              unique=False)

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at',
                                      portfolio.database.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('locked_until',
                                      portfolio.database.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('next_attempt_at')

    with op.batch_alter_table('password_reset_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_requests_handled_at'))
        batch_op.drop_index('ix_password_reset_requests_email_time')
        batch_op.drop_index('ix_password_reset_requests_address_time')

    op.drop_table('password_reset_requests')
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_pair_time')
