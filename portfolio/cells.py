"""The one rule for spreadsheet cells, for every CSV and XLSX the app writes or reads back.

Text that a spreadsheet could run as a formula or a DDE command (OWASP CSV injection) gets a
leading apostrophe, so a candidate called "=HYPERLINK(...)" is shown as text and never
evaluated. Text already starting with an apostrophe gets one more, so `unneutralise` gives
back exactly what was written. Numbers, dates and None are data, not text: they pass through
unchanged (an XLSX keeps -3 as the number -3), while the text "-3" is defused like any other
text starting with "-".
"""

from __future__ import annotations

# A cell starting with one of these may be read as a formula or a DDE command.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# The mark a neutralised cell starts with; escaped too, so the rule can be undone.
ESCAPE = "'"


def neutralise(value):
    """Return the value safe for a spreadsheet cell: risky text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith((*FORMULA_TRIGGERS, ESCAPE)):
        return ESCAPE + value
    return value


def neutralise_row(values) -> list:
    return [neutralise(value) for value in values]


def unneutralise(text: str) -> str:
    """Undo `neutralise` on a cell read back from a file this app wrote."""
    if text.startswith(ESCAPE) and text[1:2] in (*FORMULA_TRIGGERS, ESCAPE):
        return text[1:]
    return text
