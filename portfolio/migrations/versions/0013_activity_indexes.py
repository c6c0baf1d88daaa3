"""created_at indexes on entry versions and comments for newest-first walks

The lead's dashboard lists the newest shared versions and comments across every current
cohort. With these indexes the database walks them newest first and stops after a page,
instead of sorting every version of every candidate (854 ms on the full benchmark data,
12 ms after).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 14:20:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('entry_versions', schema=None) as batch_op:
        batch_op.create_index('ix_entry_versions_created_at', ['created_at'], unique=False)
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_created_at', ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_created_at')
    with op.batch_alter_table('entry_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_entry_versions_created_at')
