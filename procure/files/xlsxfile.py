"""Workbooks whose bytes depend on their content only, and cells whose text stays text.

Shared by the order workbook and the request form. openpyxl's save stamps the
clock into the document properties and the zip entries, so `workbook_bytes`
sets fixed properties and rewrites every entry with one fixed time.
"""

import datetime
import io
import zipfile

from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from procure.core.characters import xml_text

MAX_TEXT = 32767
"""The most characters a cell may hold in Excel."""
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def put(ws, row: int, column: int, value, number_format: str | None = None):
    """Write one cell: text always stays text (never a formula), numbers get their format."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = xml_text(value)[:MAX_TEXT]
        cell.data_type = "s"
    else:
        cell.value = value
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def merge(ws, row: int, first: int, last: int) -> None:
    """Merge columns `first` to `last` of a row whose only value is in `first`.

    openpyxl's `merge_cells` also turns every covered cell into a placeholder and formats the range's
    borders, which costs most of a small workbook's time; covered cells that were never written need
    neither, and the file says the same.
    """
    from openpyxl.worksheet.cell_range import CellRange

    ws.merged_cells.add(CellRange(min_row=row, max_row=row, min_col=first, max_col=last))


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
    raw = io.BytesIO()  # stored, not compressed: it is read back at once and compressed in the copy below
    _MemoryWriter(workbook, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED)).save()
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry))
    return fixed.getvalue()


class _MemoryWriter(ExcelWriter):
    """openpyxl's writer with each sheet's XML built in memory: no temporary file, so nothing to leave behind
    or to fail on a full disk or a file size limit (its own `write_worksheet` writes one per sheet)."""

    def write_worksheet(self, ws):
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts, ws._drawing.images = ws._charts, ws._images
        xml = io.BytesIO()
        writer = WorksheetWriter(ws, out=xml)
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], xml.getvalue())
        self.manifest.append(ws)
