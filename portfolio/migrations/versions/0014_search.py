"""search_documents: the full-text index (FTS5 on SQLite, tsvector + GIN on PostgreSQL)

One row per entry (its latest saved version), comment, evidence item, goal and coaching
philosophy, holding only the text to find; who may read a row is decided when searching. The
upgrade fills the index from what is already stored, with the builders the application uses.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 14:40:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

import portfolio.database
from portfolio.search.schema import install_statements, remove_statements

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('ref_id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('happened_on', sa.Date(), nullable=True),
        sa.Column('updated_at', portfolio.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'ref_id', name='uq_search_documents_kind_ref'),
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index('ix_search_documents_entry', ['entry_id'], unique=False)
        batch_op.create_index('ix_search_documents_owner', ['owner_id'], unique=False)
    bind = op.get_bind()
    for statement in install_statements(bind.dialect.name):
        op.execute(statement)
    from portfolio.search.indexing import rebuild_index

    rebuild_index(Session(bind=bind))


def downgrade():
    bind = op.get_bind()
    for statement in remove_statements(bind.dialect.name):
        op.execute(statement)
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_owner')
        batch_op.drop_index('ix_search_documents_entry')
    op.drop_table('search_documents')
