"""consent records: index who withdrew consent

Every foreign key leads an index, so erasing a person (which sets this column to NULL) never
scans the table.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-01 02:45:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_records_withdrawn_by_id'),
                              ['withdrawn_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_records_withdrawn_by_id'))
