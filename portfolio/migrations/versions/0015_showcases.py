"""showcases: curated, version-pinned selections of a candidate's work, and their secret links

A showcase's items point at immutable records (entry versions, sign-offs) or carry a copy of
what the evidence said when chosen. Secret links are stored as token hashes, with an expiry, a
revocation time and a log of every view.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 17:30:00

"""
from alembic import op
import sqlalchemy as sa

import portfolio.database

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('showcases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=False),
    sa.Column('introduction_html', sa.Text(), nullable=False),
    sa.Column('shared_with_developers', sa.Boolean(), nullable=False),
    sa.Column('shared_with_peers', sa.Boolean(), nullable=False),
    sa.Column('locked_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('copied_from_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_showcases_cohort_id_cohorts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['copied_from_id'], ['showcases.id'], name=op.f('fk_showcases_copied_from_id_showcases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_showcases_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showcases'))
    )
    with op.batch_alter_table('showcases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_showcases_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_showcases_copied_from_id'), ['copied_from_id'], unique=False)
        batch_op.create_index('ix_showcases_owner_updated', ['owner_id', 'updated_at'], unique=False)

    op.create_table('showcase_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('showcase_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_viewed_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('view_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['showcase_id'], ['showcases.id'], name=op.f('fk_showcase_links_showcase_id_showcases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showcase_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_showcase_links_token_hash'))
    )
    with op.batch_alter_table('showcase_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_showcase_links_showcase_id'), ['showcase_id'], unique=False)

    op.create_table('showcase_link_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('viewed_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('what', sa.String(length=120), nullable=False),
    sa.Column('network', sa.String(length=64), nullable=False),
    sa.Column('browser', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['link_id'], ['showcase_links.id'], name=op.f('fk_showcase_link_views_link_id_showcase_links'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showcase_link_views'))
    )
    with op.batch_alter_table('showcase_link_views', schema=None) as batch_op:
        batch_op.create_index('ix_showcase_link_views_link_viewed', ['link_id', 'viewed_at'], unique=False)

    op.create_table('showcase_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('showcase_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('heading', 'entry_version', 'evidence', 'signoff', name='kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('heading', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('entry_version_id', sa.Integer(), nullable=True),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('signoff_id', sa.Integer(), nullable=True),
    sa.Column('pinned_title', sa.String(length=200), nullable=False),
    sa.Column('pinned_description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['entry_version_id'], ['entry_versions.id'], name=op.f('fk_showcase_items_entry_version_id_entry_versions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_showcase_items_evidence_id_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['showcase_id'], ['showcases.id'], name=op.f('fk_showcase_items_showcase_id_showcases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signoff_id'], ['signoffs.id'], name=op.f('fk_showcase_items_signoff_id_signoffs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showcase_items'))
    )
    with op.batch_alter_table('showcase_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_showcase_items_entry_version_id'), ['entry_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_showcase_items_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index('ix_showcase_items_showcase_position', ['showcase_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_showcase_items_signoff_id'), ['signoff_id'], unique=False)



def downgrade():
    with op.batch_alter_table('showcase_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_showcase_items_signoff_id'))
        batch_op.drop_index('ix_showcase_items_showcase_position')
        batch_op.drop_index(batch_op.f('ix_showcase_items_evidence_id'))
        batch_op.drop_index(batch_op.f('ix_showcase_items_entry_version_id'))

    op.drop_table('showcase_items')
    with op.batch_alter_table('showcase_link_views', schema=None) as batch_op:
        batch_op.drop_index('ix_showcase_link_views_link_viewed')

    op.drop_table('showcase_link_views')
    with op.batch_alter_table('showcase_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_showcase_links_showcase_id'))

    op.drop_table('showcase_links')
    with op.batch_alter_table('showcases', schema=None) as batch_op:
        batch_op.drop_index('ix_showcases_owner_updated')
        batch_op.drop_index(batch_op.f('ix_showcases_copied_from_id'))
        batch_op.drop_index(batch_op.f('ix_showcases_cohort_id'))

    op.drop_table('showcases')
