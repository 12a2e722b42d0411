"""Workbooks written with XlsxWriter, each cell as it is given: bytes that depend on the content only, text that
stays text.

For long workbooks (the order workbook of a large plan): openpyxl keeps an object per cell and serialises them
all at the end (`xlsxfile`), XlsxWriter keeps each cell's value and writes its XML in one pass. `workbook_bytes`
makes the workbook in memory, where XlsxWriter stamps every zip entry with one fixed time (1980-01-01), with the
document dates the caller gives, and with XlsxWriter's readings of text as formulas, numbers and links turned
off; `write_text` writes text with `write_string`, without the characters XML cannot hold.
"""

import datetime
import io
import struct
from collections.abc import Callable, Mapping
from decimal import Decimal

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from procure.core.characters import cell_text

TEXT_STAYS_TEXT = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                   "strings_to_urls": False}
"""The options every workbook is made with: no temporary files, and no text read as anything but text."""
DIGIT_PIXELS = 7
"""The width of a digit of the default font (Calibri 11) in pixels, by which XlsxWriter divides a column's width
in pixels to write it in characters."""
UNIX = 3
"""The system a zip entry says it was made on: zipfile says Unix everywhere but on Windows (MS-DOS, 0)."""


def workbook_bytes(fill: Callable[[xlsxwriter.Workbook], None], *, title: str,
                   moment: datetime.datetime) -> bytes:
    """The `.xlsx` bytes of the workbook `fill` writes: creator `procure`, `title`, created and modified at `moment`,
    every zip entry at 1980-01-01 and made on Unix."""
    output = io.BytesIO()
    with xlsxwriter.Workbook(output, TEXT_STAYS_TEXT) as workbook:
        fill(workbook)
        workbook.set_properties({"title": title, "author": "procure", "created": moment})
    return _made_on_unix(output.getvalue())


def _made_on_unix(archive: bytes) -> bytes:
    """The zip `archive` with every entry of its central directory saying it was made on Unix, wherever it was made.

    The archive is zipfile's without a comment, so the end of its central directory is its last 22 bytes: the
    number of entries, the directory's size and its start are its 10th to 20th. An entry is 46 bytes, its name, its
    extra field and its comment (their lengths at 28); its 6th byte is the system it was made on.
    """
    raw = bytearray(archive)
    entries, _, at = struct.unpack_from("<HII", raw, len(raw) - 12)
    for _ in range(entries):
        raw[at + 5] = UNIX
        name, extra, comment = struct.unpack_from("<HHH", raw, at + 28)
        at += 46 + name + extra + comment
    return bytes(raw)


class Formats:
    """A workbook's cell formats, one per set of properties (XlsxWriter makes a new one each time it is asked)."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self._workbook = workbook
        self._made: dict[tuple, Format] = {}

    def get(self, *parts: Mapping[str, object]) -> Format | None:
        """The format of the properties of `parts` together (XlsxWriter's `add_format` names), None for none."""
        properties = {name: value for part in parts for name, value in part.items()}
        if not properties:
            return None
        key = tuple(sorted(properties.items()))
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._workbook.add_format(properties)
        return made


def write_text(ws: Worksheet, row: int, column: int, text: str, cell_format: Format | None = None) -> str:
    """Write `text` into a cell (rows and columns counted from 0) as text, never a formula, as a cell holds it
    (`cell_text`); nothing but a format when that leaves nothing. The text written."""
    text = cell_text(text)
    if text:
        ws.write_string(row, column, text, cell_format)
    else:
        ws.write_blank(row, column, None, cell_format)
    return text


def write_cell(ws: Worksheet, row: int, column: int, value, cell_format: Format | None = None) -> None:
    """One cell, rows and columns counted from 0: a text as `write_text` writes it, a number or a date as a number
    in `cell_format`'s number format, None as an empty cell (kept only with a format)."""
    if isinstance(value, str):
        write_text(ws, row, column, value, cell_format)
    elif value is None:
        ws.write_blank(row, column, None, cell_format)
    elif isinstance(value, datetime.date):
        ws.write_datetime(row, column, value, cell_format)
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        ws.write_number(row, column, value, cell_format)
    else:
        raise TypeError(f"a workbook cell holds text, a number, a date or nothing, not {type(value).__name__}")


def set_width(ws: Worksheet, column: int, characters: int) -> None:
    """Column `column` (from 0) `characters` wide, written in the file as that many characters (`set_column` would
    add XlsxWriter's cell padding: 62 written as 62.71)."""
    ws.set_column_pixels(column, column, characters * DIGIT_PIXELS)
