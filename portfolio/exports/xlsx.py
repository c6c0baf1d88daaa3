"""A small streaming XLSX writer: rows become sheet XML text as they come, nothing else is kept.

Reports need plain values, a bold shaded header, three number formats, frozen panes, column
widths and merged header cells; that is all this writes. It exists because building a cell
object and an XML element for each of a 600 × 25 matrix's cells (openpyxl, even write-only)
took seconds; writing the XML text directly takes a few milliseconds per thousand rows.
Values arrive already neutralised (see tables.spreadsheet_value).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from xml.sax.saxutils import escape  # escapes what we write, parses nothing  # nosec B406

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
EPOCH = datetime(1899, 12, 30)
# Style ids in styles.xml below.
PLAIN, HEADER, PERCENT, DATE, DATETIME = range(5)
FORMATS = {"0%": PERCENT, "d mmm yyyy": DATE, "d mmm yyyy hh:mm": DATETIME}
# Control characters XML 1.0 cannot hold (tab, newline and carriage return it can).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def get_column_letter(number: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class Sheet:
    """One worksheet: set widths, freeze and merges, then `append` rows."""

    def __init__(self, title: str, widths: list[float], freeze: str | None = None):
        self.title = title[:31]
        self.widths = widths
        self.freeze = freeze
        self.merges: list[str] = []
        self._rows: list[str] = []
        self._letters: list[str] = []
        # A text cell's XML after its reference, by (text, style): a matrix repeats a few
        # state labels thousands of times, so each is escaped once.
        self._texts: dict[tuple[str, int], str] = {}

    def _letters_for(self, count: int) -> list[str]:
        while len(self._letters) < count:
            self._letters.append(get_column_letter(len(self._letters) + 1))
        return self._letters

    def append(self, values: list, styles: dict[int, int] | None = None,
               style: int = PLAIN) -> None:
        """Add a row; `styles` maps a 1-based column to a style id, `style` applies to all."""
        number = len(self._rows) + 1
        letters = self._letters_for(len(values))
        cells = []
        for index, value in enumerate(values):
            if value is None or value == "" and style == PLAIN:
                continue
            cell_style = styles.get(index + 1, style) if styles else style
            cells.append(f'<c r="{letters[index]}{number}"{self._body(value, cell_style)}')
        self._rows.append(f'<row r="{number}">{"".join(cells)}</row>')

    def _body(self, value, style: int) -> str:
        """A cell's XML after `<c r="A1"`."""
        if isinstance(value, str):
            body = self._texts.get((value, style))
            if body is None:
                body = self._texts[value, style] = _text_body(value, style)
            return body
        s = f' s="{style}"' if style else ""
        if isinstance(value, bool):
            return f'{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            return f'{s}><v>{value!r}</v></c>'
        if isinstance(value, datetime | date):
            return f'{s}><v>{_serial(value)!r}</v></c>'
        return _text_body(str(value), style)

    def xml(self) -> str:
        cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                       for i, w in enumerate(self.widths, start=1))
        merges = "".join(f'<mergeCell ref="{ref}"/>' for ref in self.merges)
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
                f'<sheetViews><sheetView workbookViewId="0">{_pane(self.freeze)}</sheetView>'
                f'</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
                f'{f"<cols>{cols}</cols>" if cols else ""}'
                f'<sheetData>{"".join(self._rows)}</sheetData>'
                f'{f"<mergeCells count={chr(34)}{len(self.merges)}{chr(34)}>{merges}</mergeCells>" if merges else ""}'
                f'</worksheet>')


def _text_body(text: str, style: int) -> str:
    s = f' s="{style}"' if style else ""
    return f'{s} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _serial(value: date | datetime) -> float:
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    delta = value.replace(tzinfo=None) - EPOCH
    return round(delta.days + delta.seconds / 86400, 8)


def _pane(freeze: str | None) -> str:
    if not freeze or freeze == "A1":
        return ""
    column = ord(freeze[0]) - ord("A")
    row = int(freeze[1:]) - 1
    split = (f' xSplit="{column}"' if column else "") + (f' ySplit="{row}"' if row else "")
    pane = "bottomRight" if column and row else ("bottomLeft" if row else "topRight")
    return (f'<pane{split} topLeftCell="{freeze}" activePane="{pane}" state="frozen"/>'
            f'<selection pane="{pane}" activeCell="{freeze}" sqref="{freeze}"/>')


STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}">
<numFmts count="2"><numFmt numFmtId="164" formatCode="d mmm yyyy"/><numFmt numFmtId="165" formatCode="d mmm yyyy hh:mm"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFDDE4EE"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def workbook_bytes(sheets: list[Sheet], title: str = "") -> bytes:
    """The .xlsx file holding `sheets`, in order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as package:
        package.writestr("[Content_Types].xml", _content_types(len(sheets)))
        package.writestr("_rels/.rels", _package_rels())
        package.writestr("docProps/core.xml", _core(title))
        package.writestr("xl/workbook.xml", _workbook(sheets))
        package.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        package.writestr("xl/styles.xml", STYLES)
        for number, sheet in enumerate(sheets, start=1):
            package.writestr(f"xl/worksheets/sheet{number}.xml", sheet.xml())
    return out.getvalue()


def _content_types(count: int) -> str:
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                     f'ContentType="{sheet_type}"/>' for n in range(1, count + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f'{sheets}</Types>')


def _package_rels() -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            '</Relationships>')


def _core(title: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<dc:title>{escape(title)}</dc:title></cp:coreProperties>')


def _workbook(sheets: list[Sheet]) -> str:
    entries = "".join(f'<sheet name="{escape(sheet.title, {chr(34): "&quot;"})}" '
                      f'sheetId="{n}" r:id="rId{n}"/>' for n, sheet in enumerate(sheets, 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><bookViews><workbookView/></bookViews>'
            f'<sheets>{entries}</sheets></workbook>')


def _workbook_rels(count: int) -> str:
    sheets = "".join(f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" '
                     f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, count + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PACKAGE_RELS}">{sheets}'
            f'<Relationship Id="rId{count + 1}" Type="{RELS}/styles" Target="styles.xml"/>'
            '</Relationships>')
