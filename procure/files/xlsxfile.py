"""Workbooks written with openpyxl whose bytes depend on their content only, and cells whose text stays text.

Shared by the request form, the register's export and report, the batch summary and the WAWF sheet (the order
workbook is written with XlsxWriter: `xlsxwriting`). openpyxl's save stamps the
clock into the document properties and the zip entries, so `workbook_bytes`
sets fixed properties and stamps every entry with one fixed time. The cells of
a sheet are written by `_SheetWriter`, as openpyxl writes them but as text at
once: openpyxl builds and serialises an element per cell, most of a long
workbook's time.
"""

import datetime
import io
import zipfile
from decimal import Decimal
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # type: ignore[attr-defined]  # openpyxl escapes with these

from openpyxl import Workbook
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from procure.core.characters import cell_text

NUMBERS = frozenset((int, float, Decimal))
"""The types of number openpyxl writes as they are (a bool is not one: it is written as a boolean)."""
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def put(ws, row: int, column: int, value, number_format: str | None = None):
    """Write one cell: text always stays text (never a formula), numbers get their format."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):  # set as is: openpyxl's check of text would find nothing cell_text left
        cell._value, cell.data_type = cell_text(value), "s"
    elif type(value) in NUMBERS:
        cell._value, cell.data_type = value, "n"
    else:
        cell.value = value
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def print_landscape(ws, title_row: int | None = None) -> None:
    """Landscape US Letter, one page wide and as many long as it takes; row `title_row` on every page."""
    if title_row is not None:
        ws.print_title_rows = f"{title_row}:{title_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def list_sheet_layout(ws) -> None:
    """A list of rows under one header row for people to print: the header frozen and bold on every page,
    landscape and one page wide, every cell's text wrapped in its column and set at the top."""
    from openpyxl.styles import Alignment

    wrapped = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = wrapped
    ws.freeze_panes = "A2"
    print_landscape(ws, 1)


def workbook_bytes(workbook: Workbook, *, title: str, moment: datetime.datetime) -> bytes:
    """The `.xlsx` bytes: creator `procure`, created and modified at `moment`, zip entries at ZIP_TIME."""
    props = workbook.properties
    props.creator = props.lastModifiedBy = "procure"
    props.title = title
    props.created = props.modified = moment
    raw = io.BytesIO()
    with _FixedTimeZip(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        _MemoryWriter(workbook, archive).save()
    return raw.getvalue()


class _FixedTimeZip(zipfile.ZipFile):
    """A zip file whose every entry is stamped ZIP_TIME, with the same attributes, whatever the clock says
    (openpyxl names its entries only, and zipfile would stamp each with the time of day)."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        info = zinfo_or_arcname
        if not isinstance(info, zipfile.ZipInfo):
            info = zipfile.ZipInfo(info, date_time=ZIP_TIME)
            info.compress_type = self.compression
            info.create_system = 3
            info.external_attr = 0o644 << 16
        super().writestr(info, data, compress_type, compresslevel)


class _MemoryWriter(ExcelWriter):
    """openpyxl's writer with each sheet's XML built in memory: no temporary file, so nothing to leave behind
    or to fail on a full disk or a file size limit (its own `write_worksheet` writes one per sheet)."""

    def write_worksheet(self, ws):
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts, ws._drawing.images = ws._charts, ws._images
        xml = io.BytesIO()
        writer = _SheetWriter(ws, out=xml)
        writer.write()
        sheet = writer.with_rows(xml.getvalue())
        if sheet is None:  # openpyxl wrote the empty rows otherwise than _SheetWriter expects: it writes them all
            xml = io.BytesIO()
            writer = WorksheetWriter(ws, out=xml)
            writer.write()
            sheet = xml.getvalue()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], sheet)
        self.manifest.append(ws)


EMPTY_ROWS = b"<sheetData></sheetData>"


class _SheetWriter(WorksheetWriter):
    """openpyxl's worksheet writer, its rows of cells made as text in one pass and put in by `with_rows`.

    The text is what openpyxl's `write_rows` writes, byte for byte, for the cells procure writes: text,
    numbers, dates and styled empty cells. A sheet with any other cell (a formula, rich text, a comment, a
    hyperlink) is written by openpyxl itself.
    """

    rows_xml: bytes | None = None

    def write_rows(self):
        self.rows_xml = _rows_xml(self.ws, self.rows())
        if self.rows_xml is None:
            super().write_rows()
            return
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            pass
        self.xf.send(None)

    def with_rows(self, sheet: bytes) -> bytes | None:
        """The sheet's XML with the rows `write_rows` made put in its empty `sheetData`; None if it has none
        written as `EMPTY_ROWS` (another version of the XML writer): never a sheet without its rows."""
        if self.rows_xml is None:
            return sheet
        if sheet.count(EMPTY_ROWS) != 1:
            return None
        return sheet.replace(EMPTY_ROWS, b"<sheetData>" + self.rows_xml + b"</sheetData>", 1)


def _rows_xml(ws, rows) -> bytes | None:
    """The `row` and `c` elements of a sheet's `rows` as openpyxl writes them; None for a cell it writes
    otherwise (see `_SheetWriter`)."""
    parts: list[str] = []
    add = parts.append
    dimensions = ws.row_dimensions
    letters: dict[int, str] = {}
    for number, cells in rows:
        attributes = {"r": f"{number}"}
        attributes.update(dimensions.get(number, ()))
        add("<row" + "".join(f' {k}="{_escape_attrib(v)}"' for k, v in attributes.items()) + ">")
        for cell in cells:
            value = cell._value
            styled = cell.has_style
            if value is None and not styled and cell._comment is None:
                continue
            if cell._comment is not None or cell._hyperlink is not None:
                return None
            letter = letters.get(cell.column) or letters.setdefault(cell.column, get_column_letter(cell.column))
            head = f'<c r="{letter}{number}"'
            if styled:
                head += f' s="{cell.style_id}"'
            kind = cell.data_type
            if kind == "d":
                if ws.parent.iso_dates or getattr(value, "tzinfo", None) is not None:
                    return None
                kind, value = "n", to_excel(value, ws.parent.epoch)
            if kind == "s":
                if not isinstance(value, str):
                    return None
                head += ' t="inlineStr"'
            elif kind == "f":
                return None
            else:
                head += f' t="{kind}"'
            if value is None or value == "":
                add(head + " />")
            elif kind == "s":
                stripped = value.strip()
                space = ' xml:space="preserve"' if stripped and value != stripped else ""
                add(f"{head}><is><t{space}>{_escape_cdata(value)}</t></is></c>")
            else:
                shown = safe_string(value)  # "" for a NaN or an infinity, which openpyxl writes as an empty <v />
                add(f"{head}><v>{_escape_cdata(shown)}</v></c>" if shown else f"{head}><v /></c>")
        add("</row>")
    return "".join(parts).encode()
