"""The registry of personal data tables matches the schema: no table about people is missed."""

from __future__ import annotations

from portfolio import models  # noqa: F401 - every table registered on the metadata
from portfolio.extensions import db
from portfolio.privacy.registry import (
    EMAIL_COLUMNS,
    ERASE_ACTIONS,
    PERSONAL_DATA_TABLES,
    USER_ID_COLUMNS,
)


def tables_about_people() -> set[str]:
    """Tables that refer to a user, plus every table hanging off one of those by foreign key."""
    direct = {table.name for table in db.metadata.sorted_tables
              if any(fk.column.table.name == "users" for fk in table.foreign_keys)}
    direct |= {table for table, _ in USER_ID_COLUMNS | EMAIL_COLUMNS}
    found = direct | {"users"}
    grew = True
    while grew:
        grew = False
        for table in db.metadata.sorted_tables:
            if table.name in found:
                continue
            parents = {fk.column.table.name for fk in table.foreign_keys}
            # Children of the person's own rows are about the person too; reference data
            # (frameworks, cohorts) that people merely point at is not.
            if parents & (found - {"users"}):
                found.add(table.name)
                grew = True
    return found


def test_every_table_about_people_has_a_decision():
    missing = tables_about_people() - PERSONAL_DATA_TABLES.keys()
    assert not missing, (
        "tables holding data about people without an export/erasure decision in "
        f"portfolio/privacy/registry.py: {sorted(missing)}")


def test_registry_names_only_real_tables_and_known_actions():
    tables = set(db.metadata.tables)
    assert set(PERSONAL_DATA_TABLES) <= tables
    for table, column in USER_ID_COLUMNS | EMAIL_COLUMNS:
        assert column in db.metadata.tables[table].columns, (table, column)
    for name, handling in PERSONAL_DATA_TABLES.items():
        assert handling.erase in ERASE_ACTIONS, name
        assert handling.export, name


def test_the_schema_walk_finds_the_known_tables():
    # Guards the walk itself: if it stopped following foreign keys this test would notice.
    found = tables_about_people()
    assert {"entry_versions", "goal_notes", "signoff_revocations", "audit_events",
            "outbox_messages", "review_request_competencies"} <= found
    assert "frameworks" not in found and "competencies" not in found
