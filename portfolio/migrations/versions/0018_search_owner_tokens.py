"""search_fts indexes each document's owner as a token (SQLite)

A search limited to some people's work (everyone but leads and admins reads only their own and
their cohort mates') adds `owner : (owner1 OR owner2 ...)` to the full-text query, so the index
intersects the lists itself instead of matching every candidate's text and dropping most of it
afterwards. The FTS5 table reads its content through a view that adds the token. PostgreSQL
keeps its tsvector: its planner already combines the GIN index with the owner_id index.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 18:00:00

"""
from alembic import op

from portfolio.search.schema import install_statements, remove_statements

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

# The index as migration 0014 made it, for the downgrade.
_BEFORE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body, content='search_documents', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN
        INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in remove_statements("sqlite"):
        op.execute(statement)
    for statement in install_statements("sqlite"):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in remove_statements("sqlite"):
        op.execute(statement)
    for statement in _BEFORE:
        op.execute(statement)
