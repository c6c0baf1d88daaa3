"""versions and comments carry their entry's cohort

A coach developer's recent activity is the newest versions and comments in their cohorts.
Found through the entries, that meant gathering every version of every candidate and sorting
them; with the cohort on the row itself, the newest are read by walking one index per table.
Existing rows take their entry's cohort here, one statement per table.

Two single-column indexes are widened so that a dashboard's "last activity" per candidate
reads indexes only, not the wide version and comment rows.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-01 05:00:00

"""
from alembic import op
import sqlalchemy as sa

from portfolio.entries.models import immutable_version_statements


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None

TABLES = ('entry_versions', 'comments')
# (table, index replaced, its wider replacement, the replacement's columns)
WIDENED = (
    ('entry_versions', 'ix_entry_versions_entry_id', 'ix_entry_versions_entry_created',
     ['entry_id', 'created_at']),
    ('comments', 'ix_comments_author_id', 'ix_comments_author_entry_created',
     ['author_id', 'entry_id', 'created_at']),
)


def _reinstall_immutability(dialect: str) -> None:
    # On SQLite a batch operation that rebuilds entry_versions drops its trigger.
    if dialect == 'sqlite':
        op.execute('DROP TRIGGER IF EXISTS entry_versions_immutable')
        for statement in immutable_version_statements('entry_versions', dialect):
            op.execute(statement)


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('cohort_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_cohort_id_cohorts'),
                                        'cohorts', ['cohort_id'], ['id'])
    # The immutability trigger guards the content columns only, so this update may run.
    entries = sa.table('entries', sa.column('id', sa.Integer), sa.column('cohort_id', sa.Integer))
    for table in TABLES:
        rows = sa.table(table, sa.column('entry_id', sa.Integer),
                        sa.column('cohort_id', sa.Integer))
        op.execute(rows.update().values(cohort_id=sa.select(entries.c.cohort_id).where(
            entries.c.id == rows.c.entry_id).scalar_subquery()))
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f'ix_{table}_cohort_created', ['cohort_id', 'created_at'],
                                  unique=False)
    # Single-column indexes widened so the dashboard's last activity reads indexes only.
    for table, old, new, columns in WIDENED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(new, columns, unique=False)
            batch_op.drop_index(old)
    _reinstall_immutability(op.get_bind().dialect.name)


def downgrade():
    for table, old, new, columns in WIDENED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(old, [columns[0]], unique=False)
            batch_op.drop_index(new)
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_cohort_created')
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_cohort_id_cohorts'),
                                     type_='foreignkey')
            batch_op.drop_column('cohort_id')
    _reinstall_immutability(op.get_bind().dialect.name)
