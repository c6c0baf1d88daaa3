"""quick sign: one-time codes a candidate shows to be signed off in person

Only each code's SHA-256 is stored, with the entry version, its content hash, the chosen
competencies and the review request the decisions are recorded on. `used_at` is set once by a
conditional UPDATE, so a code signs at most one decision.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa

import portfolio.database


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quick_sign_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('entry_version_id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('review_request_id', sa.Integer(), nullable=False),
    sa.Column('competency_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('used_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_quick_sign_codes_candidate_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], name=op.f('fk_quick_sign_codes_entry_id_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entry_version_id'], ['entry_versions.id'], name=op.f('fk_quick_sign_codes_entry_version_id_entry_versions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_request_id'], ['review_requests.id'], name=op.f('fk_quick_sign_codes_review_request_id_review_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['used_by_id'], ['users.id'], name=op.f('fk_quick_sign_codes_used_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quick_sign_codes')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_quick_sign_codes_token_hash'))
    )
    with op.batch_alter_table('quick_sign_codes', schema=None) as batch_op:
        batch_op.create_index('ix_quick_sign_codes_entry_created', ['entry_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_quick_sign_codes_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quick_sign_codes_entry_version_id'), ['entry_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quick_sign_codes_review_request_id'), ['review_request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quick_sign_codes_used_by_id'), ['used_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('quick_sign_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quick_sign_codes_used_by_id'))
        batch_op.drop_index(batch_op.f('ix_quick_sign_codes_review_request_id'))
        batch_op.drop_index(batch_op.f('ix_quick_sign_codes_entry_version_id'))
        batch_op.drop_index(batch_op.f('ix_quick_sign_codes_candidate_id'))
        batch_op.drop_index('ix_quick_sign_codes_entry_created')

    op.drop_table('quick_sign_codes')
