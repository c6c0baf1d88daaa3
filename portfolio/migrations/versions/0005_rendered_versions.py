"""sanitised HTML stored with each saved version

Each saved entry version keeps its sections' sanitised HTML, and each philosophy version its
body's, rendered once as the version is saved; readers show the stored HTML and never render
the Markdown again. Existing versions are rendered here, a batch at a time.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 06:20:00

"""
from alembic import op
import sqlalchemy as sa

from portfolio.entries.models import immutable_version_statements
from portfolio.text import render_markdown, render_sections


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

BATCH = 200

ENTRY_VERSIONS = sa.table('entry_versions', sa.column('id', sa.Integer),
                          sa.column('content', sa.JSON), sa.column('rendered', sa.JSON))
PHILOSOPHY_VERSIONS = sa.table('philosophy_versions', sa.column('id', sa.Integer),
                               sa.column('body', sa.Text), sa.column('rendered', sa.Text))


def _render_entry(row) -> dict:
    return render_sections((row.content or {}).get('sections'))


def _render_philosophy(row) -> str:
    return str(render_markdown(row.body))


def _backfill(table, source, render) -> None:
    """Render every row's stored HTML, BATCH rows per statement, in id order."""
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(table.c.id, source).where(table.c.id > last_id)
            .order_by(table.c.id).limit(BATCH)).all()
        if not rows:
            return
        connection.execute(
            table.update().where(table.c.id == sa.bindparam('row_id'))
            .values(rendered=sa.bindparam('html')),
            [{'row_id': row.id, 'html': render(row)} for row in rows])
        last_id = rows[-1].id


def _reinstall_immutability(dialect: str) -> None:
    # On SQLite the batch operations above rebuilt both tables, which drops their triggers.
    if dialect == 'sqlite':
        for table in ('entry_versions', 'philosophy_versions'):
            op.execute(f'DROP TRIGGER IF EXISTS {table}_immutable')
            for statement in immutable_version_statements(table, dialect):
                op.execute(statement)


def upgrade():
    with op.batch_alter_table('entry_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rendered', sa.JSON(), nullable=True))
    with op.batch_alter_table('philosophy_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rendered', sa.Text(), nullable=True))

    # The immutability triggers guard the content columns only, so these updates may run.
    _backfill(ENTRY_VERSIONS, ENTRY_VERSIONS.c.content, _render_entry)
    _backfill(PHILOSOPHY_VERSIONS, PHILOSOPHY_VERSIONS.c.body, _render_philosophy)

    with op.batch_alter_table('entry_versions', schema=None) as batch_op:
        batch_op.alter_column('rendered', existing_type=sa.JSON(), nullable=False)
    with op.batch_alter_table('philosophy_versions', schema=None) as batch_op:
        batch_op.alter_column('rendered', existing_type=sa.Text(), nullable=False)
    _reinstall_immutability(op.get_bind().dialect.name)


def downgrade():
    with op.batch_alter_table('philosophy_versions', schema=None) as batch_op:
        batch_op.drop_column('rendered')
    with op.batch_alter_table('entry_versions', schema=None) as batch_op:
        batch_op.drop_column('rendered')
    _reinstall_immutability(op.get_bind().dialect.name)
