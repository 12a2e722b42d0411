"""Price lists: CSV or XLSX with at least the columns `part` and `unit_price` (or as vendors call them:
`Part Number`, `Mfr Part No`, `Item`; `Unit Price`, `Contract Price`, `Price`), the header row below any
title rows.

Lines before the header that start with `#` are settings, `# key = value`:
`illustrative = true` marks the list illustrative (every output then says so),
`title = ...` names it. Other columns (`note`, say) are allowed and ignored.
Every problem is one line naming the line (CSV) or cell (XLSX).
"""

import csv
import io
import os
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, NoReturn

from procure.core.arguments import BYTES, PATH, TEXT, FilePath, expect, kind
from procure.core.catalog import CatalogVersion
from procure.core.characters import describe as describe_character, forbidden, printable
from procure.core.digest import digest
from procure.core.errors import InputError
from procure.core.money import parse_price
from procure.core.record import Record
from procure.core.request import Request, own_file
from procure.core.user_files import MAX_FILE_BYTES, decode_text, read_bytes, suffix
from procure.core.workbooks import (
    MAX_CELL,
    MAX_ROWS,
    MAX_WORKBOOK_BYTES,
    check_unpacked_size,
    too_long,
    too_many_rows,
)

REQUIRED = ("part", "unit_price")
HEADINGS = {"part": "part", "partnumber": "part", "partno": "part", "manufacturerpartnumber": "part",
            "mfrpartno": "part", "mfrpartnumber": "part", "item": "part",
            "unitprice": "unit_price", "contractprice": "unit_price", "price": "unit_price"}
"""Column headings as read (case, spaces, underscores, hyphens and dots ignored) and the column each names."""
HEADER_ROWS = 20
"""The header is the first of this many rows that names a part column and a price column; rows above it are
titles (a vendor's list often has one), the first of which names the list when no `# title` does."""
SETTINGS = ("illustrative", "title")
MAX_PROBLEMS = 12
"""Problems reported of one price list; the rest are counted."""


class PriceList(Record):
    name: str
    """The file's name without its folder (outputs never carry a path)."""
    title: str
    illustrative: bool
    prices: dict[str, Decimal]
    digest: str
    places: dict[str, str]
    """Where each part's row is, such as `prices.csv: line 4` or `prices.xlsx: cell A4`, for messages."""

    @property
    def label(self) -> str:
        """`<title> (<file name>)`, as the outputs name the list."""
        return f"{self.title} ({self.name})"


class _Row(Record):
    where: str
    """`line 4` or `cell B4`, for messages."""
    cells: list[object]


def read_price_list(path: FilePath | None = None, *, text: str | None = None, data: bytes | None = None,
                    name: str | None = None) -> PriceList:
    """Read and check a price list: a file, CSV `text` or XLSX `data` in memory (`name` names it in messages).

    Part numbers are checked against a catalog version when the list is applied (`apply_prices`).
    """
    for argument, value, kind_ in (("path", path, PATH), ("text", text, TEXT), ("data", data, BYTES),
                                   ("name", name, TEXT)):
        expect("read_price_list", argument, value, kind_)
    shown = printable(name if name is not None else (path if path is not None else "prices.csv"))
    contents: str | bytes
    if data is not None:
        contents = bytes(data)
    elif text is not None:
        contents = text
    elif path is not None:
        contents = _contents(price_list_bytes(path), path)
    else:
        raise InputError("read_price_list: give path (a price list file), text= (CSV) or data= (XLSX bytes)")
    if isinstance(contents, bytes):
        rows, raw = _xlsx_rows(contents, shown), contents
    else:
        rows, raw = _csv_rows(contents, shown), contents.encode("utf-8")
    try:
        _check_cells(rows, shown)
        return _price_list(rows, raw, shown)
    except InputError as e:
        if len(e.problems) <= MAX_PROBLEMS:
            raise
        more = len(e.problems) - MAX_PROBLEMS
        raise InputError([*e.problems[:MAX_PROBLEMS], f"{shown}: and {more:,} more problem(s)"]) from None


def price_list_bytes(path: FilePath) -> bytes:
    """The bytes of a price list file, at most 20 MB for a workbook and 10 MB for CSV."""
    _check_suffix(path)
    return read_bytes(path, "price list", MAX_WORKBOOK_BYTES if _is_workbook(path) else MAX_FILE_BYTES)


def price_list_of_bytes(data: bytes, path: FilePath) -> PriceList:
    """The price list in `data`, the bytes of the file `path` (XLSX or CSV by its suffix): what is checked is
    exactly what was read, once."""
    contents = _contents(data, path)
    if isinstance(contents, bytes):
        return read_price_list(data=contents, name=os.fspath(path))
    return read_price_list(text=contents, name=os.fspath(path))


def _contents(data: bytes, path: FilePath) -> str | bytes:
    """The text of a CSV file or the bytes of a workbook, from the file's bytes."""
    return data if _is_workbook(path) else decode_text(data, path, "price list")


def _is_workbook(path: FilePath) -> bool:
    return suffix(path) in (".xlsx", ".xlsm")


def _check_suffix(path: FilePath) -> None:
    """InputError for the old .xls format, before it is read."""
    if suffix(path) == ".xls":
        raise InputError(f"{printable(path)}: the old Excel .xls format cannot be read; save it as .xlsx or CSV")


def _price_list(rows: list["_Row"], raw: bytes, path: str) -> PriceList:
    title, illustrative, body, problems = _split_settings(rows, path)
    if not body:
        raise InputError(f"{path}: the price list is empty: it needs a header line `part,unit_price`")
    at = next((i for i, row in enumerate(body[:HEADER_ROWS]) if not _missing(_columns(row))), 0)
    header, data = body[at], body[at + 1:]
    if at and title is None:
        title = next(str(c).strip() for c in body[0].cells if c is not None and str(c).strip())
    found = [str(c).strip() for c in header.cells if c is not None and str(c).strip()]
    columns = _columns(header)
    missing = _missing(columns)
    if missing:
        raise InputError(f"{path}: {header.where}: the header has no column {', '.join(missing)} "
                         f"(found: {', '.join(found) or 'nothing'}); name them part (or Part Number) and "
                         f"unit_price (or Unit Price)")
    prices: dict[str, Decimal] = {}
    places: dict[str, str] = {}
    for row in data:
        part, price = (_cell(row.cells, columns[c]) for c in REQUIRED)
        if part == "" and price == "":
            continue
        where = _where(row, columns, path)
        if part == "":
            problems.append(f"{where('part')}: the part number is empty")
            continue
        part = part.upper()
        if part in places:
            problems.append(f"{where('part')}: part {part} is priced twice (first at "
                            f"{places[part].split(': ', 1)[-1]})")
            continue
        places[part] = where("part")
        try:
            prices[part] = parse_price(price) if price != "" else _fail("price is empty")
        except ValueError as e:
            problems.append(f"{where('unit_price')}: {e}")
    if problems:
        raise InputError(problems)
    if not prices:
        raise InputError(f"{path}: the price list has a header but no prices")
    name = os.path.basename(path)
    return PriceList(name, title if title is not None else name, illustrative, prices, digest(raw), places)


def apply_prices(version: CatalogVersion, price_list: PriceList | None) -> CatalogVersion:
    """The catalog version with the list's prices; InputError naming each row of a part it does not have."""
    if price_list is None:
        return version
    unknown = [f"{place}: part {part} is not in the catalog version in use ({version.version})"
               for part, place in price_list.places.items() if version.part(part) is None]
    if unknown:
        raise InputError(unknown)
    return version.with_prices(price_list.prices)


def _columns(header: _Row) -> dict[str, int]:
    """The index of the first column of each kind (`part`, `unit_price`) a header row names."""
    columns: dict[str, int] = {}
    for i, heading in enumerate(header.cells):
        column = HEADINGS.get(_heading_key(heading))
        if column is not None:
            columns.setdefault(column, i)
    return columns


def _missing(columns: dict[str, int]) -> list[str]:
    return [c for c in REQUIRED if c not in columns]


def _heading_key(heading: object) -> str:
    """`Part Number`, `part_number`, `PART-NUMBER` and `Part No.` alike: `partnumber`, `partno`."""
    return "".join(ch for ch in str(heading or "").lower() if ch not in " _-.\t")


def _fail(reason: str) -> NoReturn:
    raise ValueError(reason)


def _cell(cells: list[object], index: int) -> str:
    value = cells[index] if index < len(cells) else None
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


def _where(row: _Row, columns: dict[str, int], path: str) -> Callable[[str], str]:
    def at(column: str) -> str:
        return f"{path}: {_place(row, columns[column])}"
    return at


def _place(row: _Row, index: int) -> str:
    """`cell B4` of a workbook row, `line 4` of a CSV row."""
    return f"cell {_column_letter(index)}{row.where[4:]}" if row.where.startswith("row ") else row.where


def _check_cells(rows: list[_Row], path: str) -> None:
    """InputError naming each cell that is too long or holds a character no output may hold (see characters)."""
    problems = []
    for row in rows:
        for index, cell in enumerate(row.cells):
            if not isinstance(cell, str):
                continue
            char = forbidden(cell)
            if char is not None:
                problems.append(f"{path}: {_place(row, index)}: holds {describe_character(char)}: remove it")
            elif len(cell) > MAX_CELL:
                problems.append(too_long(f"{path}: {_place(row, index)}", len(cell)))
    if problems:
        raise InputError(problems)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _split_settings(rows: list[_Row], name: str) -> tuple[str | None, bool, list[_Row], list[str]]:
    """The title and whether illustrative, from the `#` settings lines; the rows after them; the problems."""
    title, illustrative = None, False
    problems: list[str] = []
    body: list[_Row] = []
    for i, row in enumerate(rows):
        first = str(row.cells[0]).strip() if row.cells and row.cells[0] is not None else ""
        if not first.startswith("#"):
            body = [r for r in rows[i:] if any(c not in (None, "") for c in r.cells)]
            break
        key, sep, value = first.lstrip("#").partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep:
            if key == "illustrative":  # a bare `# illustrative` line says so too
                illustrative = True
            continue
        if key == "illustrative":
            if value.lower() not in ("true", "false", "yes", "no"):
                problems.append(f"{name}: {row.where}: illustrative must be true or false, not {value!r}")
            illustrative = value.lower() in ("true", "yes")
        elif key == "title":
            title = value
        else:
            problems.append(f"{name}: {row.where}: unknown setting {key!r}; known: {', '.join(SETTINGS)}")
    return title, illustrative, body, problems


def _csv_rows(text: str, path: str) -> list[_Row]:
    """Rows of a CSV text; leading `#` settings lines are kept whole (a title may hold commas).

    Lines end in LF, CR LF, or CR alone throughout; a CR inside a line of a file that is not all CR is refused.
    """
    if "\n" not in text:
        text = text.replace("\r", "\n")
    lines = text.splitlines(keepends=True)
    settings = 0
    while settings < len(lines) and lines[settings].lstrip().startswith("#"):
        settings += 1
    rows = [_Row(f"line {i + 1}", [line.strip()]) for i, line in enumerate(lines[:settings])]
    reader = csv.reader(io.StringIO("".join(lines[settings:])))
    try:
        for cells in reader:
            if len(rows) > MAX_ROWS:
                raise InputError(f"{path}: has more than {MAX_ROWS:,} lines, the most a price list may have")
            if cells:
                rows.append(_Row(f"line {settings + reader.line_num}", [c.strip() for c in cells]))
    except csv.Error as e:
        reason = ("holds a carriage return (CR) inside the line: save the file again with ordinary line endings"
                  if "new-line" in str(e) else f"cannot be read as CSV: {e}")
        raise InputError(f"{path}: line {settings + reader.line_num}: {reason}") from None
    return rows


def _xlsx_rows(raw: bytes, path: str) -> list[_Row]:
    """The rows with content of the first sheet, read whatever size the sheet declares for itself.

    A cell holding a formula that was never calculated has no value to read: it is refused, naming the cell.
    """
    import openpyxl

    check_unpacked_size(raw, path, "price list workbook")
    rows, problems = [], []
    try:
        books = [openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=only) for only in (True, False)]
        try:
            values, formulas = (_sheet_rows(book.worksheets[0]) for book in books)
            for number, (cells, written) in enumerate(zip(values, formulas, strict=True), start=1):
                if any(c is not None for c in cells) or any(c is not None for c in written):
                    row = _Row(f"row {number}", list(cells))
                    problems += [f"{path}: {_place(row, i)}: holds a formula with no saved value: open and save "
                                 f"it in Excel or LibreOffice, or type the value"
                                 for i, (value, formula) in enumerate(zip(cells, written, strict=True))
                                 if value is None and isinstance(formula, str) and formula.startswith("=")]
                    rows.append(row)
                if len(rows) > MAX_ROWS or len(problems) > MAX_PROBLEMS:
                    break
        finally:
            for book in books:
                book.close()
    except Exception as e:  # openpyxl raises many kinds on a damaged file; each means the same to a user
        raise InputError(f"{path}: is not a readable Excel workbook ({e.__class__.__name__}); "
                         f"save it again from Excel as .xlsx, or use CSV") from None
    if problems:
        raise InputError(problems)
    if len(rows) > MAX_ROWS:
        raise too_many_rows(path, "price list")
    return [r for r in rows if any(c is not None for c in r.cells)]


def _sheet_rows(sheet: Any) -> Iterator[tuple[object, ...]]:
    """The values of every row of a read-only sheet, past the size the file declares (which may be wrong)."""
    sheet.reset_dimensions()
    rows: Iterator[tuple[object, ...]] = sheet.iter_rows(values_only=True)  # openpyxl has no type hints
    return rows


def price_list_for(request: Request, override: FilePath | None = None) -> PriceList | None:
    """The price list a request is priced with: `override` (--prices), else its [pricing] price_list, else none."""
    expect("price_list_for", "request", request, kind(Request, "a Request (procure.read_request)"), optional=False)
    expect("price_list_for", "override", override, PATH)
    path = override or own_file(request, request.price_list)
    return read_price_list(path) if path else None
