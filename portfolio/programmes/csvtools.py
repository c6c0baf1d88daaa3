"""Reading uploaded CSV files safely and writing CSV that spreadsheets cannot turn into formulas.

Spreadsheets save CSV as UTF-8 (with or without a byte-order mark) or, in older Excel,
Windows-1252; anything else is refused with a message saying how to save the file again.
"""

from __future__ import annotations

import csv
import io
import re

from ..cells import FORMULA_TRIGGERS, neutralise, unneutralise
from ..errors import DomainError

UTF8_BOM = b"\xef\xbb\xbf"
SAVE_AS_HINT = 'In your spreadsheet choose "Save as" and pick "CSV UTF-8 (comma delimited)".'
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_limited(stream, limit: int, field: str = "file") -> bytes:
    """Read at most `limit` bytes from an upload, refusing anything larger."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise DomainError(f"The file is larger than {limit // 1024:,} KB. Split it into smaller "
                          "files and upload them one at a time.", field=field)
    return data


def decode_csv_bytes(data: bytes, field: str = "file") -> str:
    """Decode UTF-8 (BOM optional) or Windows-1252 text; refuse other encodings clearly."""
    if not data.strip():
        raise DomainError("The file is empty.", field=field)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DomainError("This is a spreadsheet workbook, not a CSV file. " + SAVE_AS_HINT,
                          field=field)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise DomainError("The file is saved as UTF-16, which cannot be read. " + SAVE_AS_HINT,
                          field=field)
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise DomainError("The file's text encoding is not UTF-8 or Windows-1252, so it "
                              "cannot be read. " + SAVE_AS_HINT, field=field) from None
    if _UNPRINTABLE.search(text):
        raise DomainError("The file contains control characters, so it is probably not a CSV "
                          "text file. " + SAVE_AS_HINT, field=field)
    return text


def csv_rows(text: str, field: str = "file") -> list[list[str]]:
    """Split CSV text into rows of cells, refusing malformed quoting."""
    try:
        return list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise DomainError(f"The file is not valid CSV ({error}). " + SAVE_AS_HINT,
                          field=field) from None


def normalise_header(cell: str) -> str:
    return re.sub(r"[\s_]+", " ", cell.strip().lower())


def looks_like_formula(cell: str) -> bool:
    """True for cells a spreadsheet would run, e.g. '=HYPERLINK(...)', '+1', '@SUM', '-A1'.

    A lone '-' or a Markdown bullet ('- item') is text, not a formula.
    """
    if not cell or not cell.startswith(FORMULA_TRIGGERS):
        return False
    if cell[0] == "-":
        return len(cell) > 1 and cell[1] not in " -"
    return True


# Reading a framework file back undoes the one cell rule (portfolio/cells.py).
unneutralise_cell = unneutralise


def write_csv(rows) -> str:
    """CSV text with every cell neutralised, CRLF line ends as spreadsheets expect."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()
