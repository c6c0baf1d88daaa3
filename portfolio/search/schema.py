"""The database's own full-text machinery over `search_documents`, per dialect.

SQLite: an FTS5 table with external content (a view over the documents table adding each
owner's token) and the Porter stemmer, kept in step by triggers. PostgreSQL: a stored generated
`tsvector` column (English configuration, titles weighted above bodies) with a GIN index. Both
are written here once and installed by migrations 0014 and 0018 and by the test schema, and both
leave the ORM alone: the documents table is the only thing the application writes.
"""

from __future__ import annotations

FTS_TABLE = "search_fts"
FTS_SOURCE = "search_fts_source"
VECTOR_COLUMN = "search_vector"
OWNER_PREFIX = "owner"  # an owner's token in the index: "owner42" (one word to the tokenizer)
# Names the schema comparison (tests, autogenerate) must leave alone: not in the models.
SQLITE_OBJECTS = {FTS_TABLE, FTS_SOURCE, f"{FTS_TABLE}_data", f"{FTS_TABLE}_idx",
                  f"{FTS_TABLE}_docsize", f"{FTS_TABLE}_config", f"{FTS_TABLE}_content"}
POSTGRES_OBJECTS = {VECTOR_COLUMN, "ix_search_documents_vector"}

# Written out in full (no string building): the names are FTS_TABLE, FTS_SOURCE, VECTOR_COLUMN
# and OWNER_PREFIX. The FTS5 table indexes a third column, the owner's token, read from a view
# over the documents: a search limited to some people's work intersects their tokens' lists
# inside the index instead of matching everyone's text and throwing most of it away.
_SQLITE = [
    """CREATE VIEW search_fts_source AS
        SELECT id, title, body, 'owner' || owner_id AS owner FROM search_documents""",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body, owner, content='search_fts_source', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN
        INSERT INTO search_fts(rowid, title, body, owner)
        VALUES (new.id, new.title, new.body, 'owner' || new.owner_id);
    END""",
    """CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body, owner)
        VALUES ('delete', old.id, old.title, old.body, 'owner' || old.owner_id);
    END""",
    """CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body, owner)
        VALUES ('delete', old.id, old.title, old.body, 'owner' || old.owner_id);
        INSERT INTO search_fts(rowid, title, body, owner)
        VALUES (new.id, new.title, new.body, 'owner' || new.owner_id);
    END""",
    # Index what the documents table already holds (nothing, on a new database).
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]

_POSTGRES = [
    """ALTER TABLE search_documents ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
            setweight(to_tsvector('english', coalesce(body, '')), 'B')) STORED""",
    "CREATE INDEX ix_search_documents_vector ON search_documents USING gin (search_vector)",
]


def install_statements(dialect: str) -> list[str]:
    """SQL that adds the full-text index to an existing `search_documents` table."""
    return list(_POSTGRES if dialect == "postgresql" else _SQLITE)


def remove_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return ["DROP INDEX IF EXISTS ix_search_documents_vector",
                "ALTER TABLE search_documents DROP COLUMN IF EXISTS search_vector"]
    return [f"DROP TRIGGER IF EXISTS search_documents_{suffix}" for suffix in ("ai", "ad", "au")
            ] + ["DROP TABLE IF EXISTS search_fts", "DROP VIEW IF EXISTS search_fts_source"]


def is_search_object(name: str | None) -> bool:
    return name in SQLITE_OBJECTS or name in POSTGRES_OBJECTS
