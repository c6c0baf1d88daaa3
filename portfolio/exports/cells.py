"""The one rule for spreadsheet cells: text that a spreadsheet could run as a formula is defused.

Every CSV and XLSX writer in the exports feature passes each cell through `neutralise`, so a
candidate called "=HYPERLINK(...)" is shown as text and never evaluated (OWASP CSV injection).
"""

from __future__ import annotations

# A cell starting with one of these may be read as a formula or a DDE command.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Return the value safe for a spreadsheet cell: risky text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_row(values) -> list:
    return [neutralise(value) for value in values]
