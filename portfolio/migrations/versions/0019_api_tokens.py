"""api tokens: personal access tokens, registered client systems and per-token rate windows

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 21:10:00

"""
from alembic import op
import sqlalchemy as sa

import portfolio.database


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=40), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('year_ids', sa.JSON(), nullable=False),
    sa.Column('revoked_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_clients_created_by_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_clients')),
    sa.UniqueConstraint('client_id', name=op.f('uq_api_clients_client_id'))
    )
    with op.batch_alter_table('api_clients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_clients_created_by_id'), ['created_by_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('personal', 'client', name='kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('expires_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['api_clients.id'], name=op.f('fk_api_tokens_client_id_api_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('api_rate_windows',
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.Integer(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'], name=op.f('fk_api_rate_windows_token_id_api_tokens'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_id', 'window_start', name=op.f('pk_api_rate_windows'))
    )


def downgrade():
    op.drop_table('api_rate_windows')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))
        batch_op.drop_index(batch_op.f('ix_api_tokens_client_id'))
    op.drop_table('api_tokens')
    with op.batch_alter_table('api_clients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_clients_created_by_id'))
    op.drop_table('api_clients')
