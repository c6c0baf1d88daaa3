"""upload sessions: resumable uploads in progress (tus 1.0)

One row per unfinished upload: its owner, the declared size, sha256 and file name, how many
bytes have arrived and when it expires. A conditional UPDATE on `claim` lets one request at a
time write a piece. The row goes when the upload completes, is cancelled or expires
(`flask uploads clean`).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-01 01:10:00

"""
from alembic import op
import sqlalchemy as sa

import portfolio.database


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('upload_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=43), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('declared_size', sa.BigInteger(), nullable=False),
    sa.Column('declared_sha256', sa.String(length=64), nullable=False),
    sa.Column('received', sa.BigInteger(), nullable=False),
    sa.Column('claim', sa.String(length=32), nullable=True),
    sa.Column('claimed_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('pieces', sa.Integer(), nullable=False),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], name=op.f('fk_upload_sessions_entry_id_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_upload_sessions_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload_sessions')),
    sa.UniqueConstraint('token', name=op.f('uq_upload_sessions_token'))
    )
    with op.batch_alter_table('upload_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_upload_sessions_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_upload_sessions_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_upload_sessions_owner_id'), ['owner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('upload_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upload_sessions_owner_id'))
        batch_op.drop_index(batch_op.f('ix_upload_sessions_expires_at'))
        batch_op.drop_index(batch_op.f('ix_upload_sessions_entry_id'))

    op.drop_table('upload_sessions')
