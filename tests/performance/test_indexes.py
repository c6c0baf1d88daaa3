"""Every foreign key can be followed by an index (joins, filters and ON DELETE both ways)."""

from __future__ import annotations

import portfolio.models  # noqa: F401 - registers every table on the metadata
from portfolio.extensions import db


def leading_columns(table) -> set[str]:
    """Columns that start an index, the primary key or a unique constraint of the table."""
    leading = {next(iter(index.columns)).name for index in table.indexes}
    for constraint in table.constraints:
        columns = list(getattr(constraint, "columns", []))
        if columns and constraint.__visit_name__ in ("primary_key_constraint",
                                                      "unique_constraint"):
            leading.add(columns[0].name)
    return leading


def test_every_foreign_key_column_leads_an_index():
    missing = [f"{table.name}.{key.parent.name} -> {key.target_fullname}"
               for table in db.metadata.sorted_tables
               for key in table.foreign_keys
               if key.parent.name not in leading_columns(table)]
    assert not missing, "foreign keys without an index:\n" + "\n".join(missing)
