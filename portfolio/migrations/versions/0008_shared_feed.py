"""shared-with-me read markers; tags keep their case and are unique ignoring it

entry_reads remembers the latest version of someone else's entry each reader has opened, so
"Shared with me" can say what changed since they last looked. entry_tags gains name_key (the
case-folded name): "U17" keeps its spelling and "u17" is the same tag on the same entry.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 07:00:00

"""
from alembic import op
import sqlalchemy as sa

import portfolio.database


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('entry_reads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('read_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], name=op.f('fk_entry_reads_entry_id_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_entry_reads_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entry_reads')),
    sa.UniqueConstraint('user_id', 'entry_id', name=op.f('uq_entry_reads_user_id_entry_id'))
    )
    with op.batch_alter_table('entry_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_reads_entry_id'), ['entry_id'], unique=False)

    with op.batch_alter_table('entry_tags', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=40), nullable=True))
    # Tags were stored lower-cased until now, so the key is the name itself.
    op.execute("UPDATE entry_tags SET name_key = lower(name)")
    with op.batch_alter_table('entry_tags', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=40), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_entry_tags_entry_id_name'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_entry_tags_entry_id_name_key'),
                                          ['entry_id', 'name_key'])
        batch_op.create_index(batch_op.f('ix_entry_tags_name_key'), ['name_key'], unique=False)


def downgrade():
    with op.batch_alter_table('entry_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_tags_name_key'))
        batch_op.drop_constraint(batch_op.f('uq_entry_tags_entry_id_name_key'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_entry_tags_entry_id_name'),
                                          ['entry_id', 'name'])
        batch_op.drop_column('name_key')

    with op.batch_alter_table('entry_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_reads_entry_id'))

    op.drop_table('entry_reads')
