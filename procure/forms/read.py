"""Read a filled request form into a Request, with the same checks and findings as a TOML request.

The sheets become the nested dict the TOML parser yields, and a `FormLocator`
maps each key path to its cell, so that `request.request_from` checks the form
exactly as it checks TOML and every problem names the file and the cell:
`form.xlsx: Treatments!B7 Procedures: must be a whole number of at least 1, not 0`.

What Excel and LibreOffice hand back is made what TOML would hold: a date typed
in a date cell arrives as a datetime at midnight (a date), numbers as floats
(3.0 is 3; 3.5 stays a number with decimals and a whole-number cell refuses it; 10% is 10),
numbers typed in text cells become their text, dates typed as text may be ISO (2027-01-15) or US
(1/15/2027), and Y/N cells become true or false. A form with problems raises PartialRequest with the
request read without the bad values, so that its rule findings are reported in the same run.
"""

import copy
import datetime
import io
import json
import re
from decimal import Decimal, InvalidOperation

from procure.core.digest import digest
from procure.core.errors import InputError, PartialRequest
from procure.core.request import Directory, Request, request_from
from procure.core.tomlschema import Checker, Document, describe
from procure.core.workbooks import MAX_CELL, MAX_ROWS, check_unpacked_size, too_long, too_many_rows
from procure.forms.layout import (
    DATE,
    FORM_VERSION_NAME,
    INPUT_COLUMN,
    INSTRUCTIONS,
    LINES_TABLE,
    LISTS,
    MARK,
    NO,
    NUMBER,
    READS,
    REQUEST,
    SECTIONS,
    SHEETS,
    STOCK_TABLE,
    TEXT,
    TREATMENT_LEAD,
    TREATMENT_TAIL,
    TREATMENTS_TABLE,
    YES,
    YES_NO,
    FormColumn,
    Table,
    request_rows,
)

_BLANK = object()
MAX_EXPONENT = 30
"""Numbers typed as text are read up to 10**30: far past any count or price, and quick to compare."""
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
"""A date as US desks write it, M/D/YYYY."""
_CELL = re.compile(r"^'?(.+?)'?!\$?([A-Z]{1,3})\$?(\d+)$")


class FormLocator:
    """The cell and label of each key path of a form's request; words problems as `Checker` needs them."""

    def __init__(self):
        self._cells: dict[tuple, tuple[str, str]] = {}

    def add(self, path: tuple, sheet: str, row: int, column: int, label: str) -> None:
        """`path` is at `sheet`!`column``row`, shown as `label` (the first cell given for a path stays)."""
        self._cells.setdefault(path, (f"{sheet}!{_letter(column)}{row}", label))

    def _find(self, path: tuple) -> tuple[str, str] | None:
        for end in range(len(path), 0, -1):
            if path[:end] in self._cells:
                return self._cells[path[:end]]
        return None

    def where(self, name: str, path: tuple) -> str:
        """`form.xlsx: Treatments!B7`."""
        found = self._find(path)
        return f"{name}: {found[0]}" if found else name

    def problem(self, name: str, path: tuple, message: str) -> str:
        """`form.xlsx: Treatments!B7 Procedures: <message>`."""
        found = self._find(path)
        if found is None:
            return f"{name}: {describe(path)}: {message}" if path else f"{name}: {message}"
        return f"{name}: {found[0]} {found[1]}: {message}"

    def missing(self, name: str, path: tuple, key: str) -> str:
        return self.problem(name, path + (key,), "must be filled in")


def form_request(raw: bytes, name: str, directory: Directory | None = None) -> Request:
    """The Request of a form's bytes; `name` names it in messages; `directory` as `read_request` takes it."""
    grids, names, percent = _workbook(raw, name)
    _check_version(grids, names, name)
    locator = FormLocator()
    c = Checker(name, locator=locator)
    reader = _Reader(c, locator, percent)
    data = reader.request_sheet(grids[REQUEST])
    treatments = _treatments_table(grids[TREATMENTS_TABLE.sheet], name)
    data["treatment"] = reader.table(grids[treatments.sheet], treatments)
    data["line"] = reader.table(grids[LINES_TABLE.sheet], LINES_TABLE)
    data["stock"] = reader.stock(grids[STOCK_TABLE.sheet])
    content = digest(json.dumps(data, sort_keys=True, default=str).encode("utf-8"))
    try:
        return request_from(data, c, content, directory)
    except InputError as e:
        partial = _without_problems(data, c.failed, name, locator, content, directory)
        raise PartialRequest(e.problems, partial, data, tuple(c.failed)) from None


def _without_problems(data: Document, failed: list[tuple], name: str, locator: FormLocator, content: str,
                      directory: Directory | None) -> Request | None:
    """The request the form gives without the values that have problems, or None when that is not a request."""
    data = copy.deepcopy(data)
    for path in failed:
        _drop(data, path)
    try:
        return request_from(data, Checker(name, locator=locator), content, directory)
    except InputError:
        return None


def _drop(data, path: tuple) -> None:
    """Remove the value at `path` (or the deepest part of it that exists) from nested dicts and lists."""
    for end in range(len(path), 0, -1):
        *head, last = path[:end]
        node = data
        for key in head:
            if (isinstance(node, dict) and key in node) or (isinstance(node, list) and isinstance(key, int) \
                    and key < len(node)):
                node = node[key]
            else:
                break
        else:
            if isinstance(node, dict) and last in node:
                del node[last]
                return
            if isinstance(node, list) and isinstance(last, int) and last < len(node) and end == len(path):
                node[last] = {} if isinstance(node[last], dict) else None
                return


def _workbook(raw: bytes, name: str) -> tuple[dict[str, list[tuple]], dict[str, str], frozenset]:
    """The values of every sheet but the instructions, row by row, the workbook's defined names, and the
    (row, column) of each cell of the `Request` sheet shown as a percentage (Excel turns a typed 10% into 0.1).

    Read within the caps of `workbooks` whatever size the sheets declare for themselves.
    """
    import openpyxl

    check_unpacked_size(raw, name, "request form")
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            grids = {ws.title: _rows(ws, name) for ws in book.worksheets if ws.title != INSTRUCTIONS}
            names = {key: value.attr_text for key, value in book.defined_names.items()}
            percent = frozenset((cell.row, cell.column) for row in book[REQUEST].iter_rows() for cell in row
                                if "%" in str(getattr(cell, "number_format", ""))) \
                if REQUEST in book.sheetnames else frozenset()
        finally:
            book.close()
    except InputError:
        raise
    except Exception as e:  # openpyxl raises many kinds on a damaged file; each means the same to a user
        raise InputError(f"{name}: is not a readable Excel workbook ({e.__class__.__name__}); save it again "
                         f"from Excel as .xlsx") from None
    return grids, names, percent


def _rows(sheet, name: str) -> list[tuple]:
    """The values of a read-only sheet, row by row, without the blank cells at the end of a row; InputError
    past MAX_ROWS rows or for a cell of more than MAX_CELL characters."""
    sheet.reset_dimensions()
    rows: list[tuple[object, ...]] = []
    for cells in sheet.iter_rows(values_only=True):
        if len(rows) >= MAX_ROWS:
            raise too_many_rows(f"{name}: sheet {sheet.title}", "sheet of a request form")
        cells = list(cells)
        while cells and cells[-1] is None:
            cells.pop()
        long = [i for i, v in enumerate(cells, 1) if isinstance(v, str) and len(v) > MAX_CELL]
        if long:
            raise InputError(too_long(f"{name}: {sheet.title}!{_letter(long[0])}{len(rows) + 1}",
                                      len(cells[long[0] - 1])))
        rows.append(tuple(cells))
    return rows


def _check_version(grids: dict, names: dict, name: str) -> None:
    """Refuse a workbook that is not a request form, or a form of a version this procure does not read."""
    wanted = " or ".join(map(str, READS))
    match = _CELL.match(names.get(FORM_VERSION_NAME, ""))
    if match is None:
        raise InputError(f"{name}: is not a procure request form (it has no form version); make one with "
                         f"`procure form -o FILE.xlsx`, or give a TOML request")
    if match.group(1) not in grids:
        raise InputError(f"{name}: the request form has no sheet {match.group(1)} (renamed or deleted?): it holds "
                         f"the form version; name it {LISTS} again, or make a new form with "
                         f"`procure form -o FILE.xlsx`")
    sheet, column, row = match.group(1), match.group(2), int(match.group(3))
    version = _number(_at(grids[sheet], row, _column(column)))
    if version not in READS:
        newer = isinstance(version, int) and version > max(READS)
        raise InputError(f"{name}: is a request form of form version {version}; this procure reads form version "
                         f"{wanted}: " + ("update procure to read it" if newer else
                                          "make a new form with `procure form -o FILE.xlsx` and copy the values "
                                          "into it"))
    missing = [sheet for sheet in SHEETS if sheet not in grids and sheet not in (INSTRUCTIONS, LISTS)]
    if missing:
        raise InputError(f"{name}: the request form has no sheet {', '.join(missing)}; make a new form with "
                         f"`procure form -o FILE.xlsx`")


def _treatments_table(grid: list[tuple], name: str) -> Table:
    """The `Treatments` table with the nerve columns its headings name."""
    table = TREATMENTS_TABLE
    headings = [_at(grid, table.heading_row, column) for column in range(1, _width(grid, table.heading_row) + 1)]
    lead, tail = len(TREATMENT_LEAD), len(TREATMENT_TAIL)
    fixed = [c.heading for c in TREATMENT_LEAD + TREATMENT_TAIL]
    if len(headings) < lead + tail or headings[:lead] + headings[len(headings) - tail:] != fixed:
        raise InputError(f"{name}: {table.sheet}!A{table.heading_row}: the headings are not those of a request "
                         f"form ({', '.join(fixed)}); make a new form with `procure form -o FILE.xlsx`")
    codes = headings[lead:len(headings) - tail]
    blank = [lead + i for i, code in enumerate(codes, 1) if _is_blank(code)]
    if blank:
        raise InputError([f"{name}: {table.sheet}!{_letter(column)}{table.heading_row}: a nerve column has no "
                          f"heading: type its nerve code, or delete the column" for column in blank])
    nerves = tuple(FormColumn("nerves", str(code).strip().upper(), MARK, "", 0) for code in codes)
    return table._replace(columns=TREATMENT_LEAD + nerves + TREATMENT_TAIL)


class _Reader:
    """Turns the cells of a form into the request's tables, noting each cell in the locator."""

    def __init__(self, c: Checker, locator: FormLocator, percent: frozenset = frozenset()):
        self.c, self.locator, self.percent = c, locator, percent

    def request_sheet(self, grid: list[tuple]) -> dict:
        _, rows = request_rows()
        data: Document = {}
        for section in SECTIONS:
            for field in section.fields:
                row = rows[field.path]
                self.locator.add(field.path, REQUEST, row, INPUT_COLUMN, field.label)
                self.locator.add(field.path[:2], REQUEST, row, INPUT_COLUMN, field.label)
                self.locator.add(field.path[:1], REQUEST, row, INPUT_COLUMN, field.label)
                cell = _at(grid, row, INPUT_COLUMN)
                if (row, INPUT_COLUMN) in self.percent and isinstance(cell, (int, float)) \
                        and not isinstance(cell, bool):
                    cell = float(Decimal(repr(cell)) * 100)  # 10% as Excel keeps it, 0.1, is the number 10
                value = self.value(cell, field.kind, field.path)
                if value is _BLANK:
                    continue
                # a section only when a field of it is filled: a blank Site of service asks for no coding estimate
                table = data.setdefault(field.path[0], {})
                if len(field.path) == 3:  # one of the cells of a list
                    table.setdefault(field.path[1], []).append(value)
                else:
                    table[field.path[1]] = value
        return data

    def table(self, grid: list[tuple], table: Table) -> list[dict]:
        """The filled rows of `Treatments` or `Lines`, as the request's array of tables."""
        return [self._row((table.section, i), table, row, cells)
                for i, (row, cells) in enumerate(_filled(grid, table))]

    def stock(self, grid: list[tuple]) -> dict:
        """`[stock]` by part number: {"packs": N, "loose": M}."""
        stock = {}
        for row, cells in _filled(grid, STOCK_TABLE):
            part = None if _is_blank(cells[0]) else _text(cells[0]).strip().upper()
            if part is None or part in stock:
                self.locator.add(("stock", row), STOCK_TABLE.sheet, row, 1, STOCK_TABLE.columns[0].heading)
                self.c.fail(("stock", row), f"lists {part} twice: give the stock of each part once" if part
                            else "name the part on the shelf, or clear this row")
                continue
            stock[part] = self._row(("stock", part), STOCK_TABLE, row, cells)
            del stock[part]["part"]
        return stock

    def _row(self, at: tuple, table: Table, row: int, cells: list) -> Document:
        """One row of a table as {key: value}, each cell noted under `at`; nerve marks gathered under `nerves`."""
        values: Document = {}
        for column, (spec, raw) in enumerate(zip(table.columns, cells, strict=True), 1):
            path = at + ((spec.key, spec.heading) if spec.kind == MARK else (spec.key,))
            self.locator.add(path, table.sheet, row, column, spec.heading)
            self.locator.add(at + (spec.key,), table.sheet, row, column,
                             "Nerves" if spec.kind == MARK else spec.heading)
            self.locator.add(at, table.sheet, row, column, spec.heading)
            value = self.value(raw, spec.kind, path)
            if spec.kind == MARK:
                if value is True:
                    values.setdefault("nerves", []).append(spec.heading)
            elif value is not _BLANK:
                values[spec.key] = value
        return values

    def value(self, raw, kind: str, path: tuple):
        """A cell's value as the request holds it; _BLANK for an empty cell; a problem noted where it cannot be."""
        if _is_blank(raw):
            return _BLANK
        if isinstance(raw, str):
            raw = raw.strip()
        if kind in (YES_NO, MARK):
            word = str(raw).upper() if not isinstance(raw, bool) else ("TRUE" if raw else "FALSE")
            if word in YES or word in NO:
                return word in YES
            self.c.fail(path, f"must be Y or N{' (or blank)' if kind == MARK else ''}, not {_show(raw)}")
            return _BLANK
        if kind == TEXT:
            return _text(raw)
        if kind == DATE:
            return self._date(raw, path)
        if kind == NUMBER and isinstance(raw, str) and raw.endswith("%"):
            raw = raw[:-1].strip()  # a percentage typed as 10% is the number 10
        return _number(raw)

    def _date(self, raw, path: tuple):
        if isinstance(raw, datetime.datetime):
            return raw.date() if raw.time() == datetime.time() else raw
        if isinstance(raw, str):
            us = _US_DATE.fullmatch(raw)
            try:
                return (datetime.date(int(us[3]), int(us[1]), int(us[2])) if us
                        else datetime.date.fromisoformat(raw))
            except ValueError:
                pass
        if isinstance(raw, datetime.date):
            return raw
        self.c.fail(path, f"must be a date such as 2026-01-15 or 1/15/2026, not {_show(raw)}")
        return _BLANK


def _text(raw) -> str:
    """Text as typed; a number or date typed where text goes becomes its digits: 5550100, 2026-01-15."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime) and raw.time() == datetime.time():
        return raw.date().isoformat()
    return str(raw)


def _filled(grid: list[tuple], table: Table):
    """(row, values of the table's columns) of each row of an input table with anything in it."""
    for row in range(table.first_row, len(grid) + 1):
        cells = [_at(grid, row, column) for column in range(1, len(table.columns) + 1)]
        if not all(_is_blank(v) for v in cells):
            yield row, cells


def _number(raw):
    """3 and 3.0 are the whole number 3; 3.5 is Decimal 3.5; text that spells a number is that number."""
    if isinstance(raw, bool | int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else Decimal(repr(raw))
    if isinstance(raw, str):
        try:
            value = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            return raw
        if not value.is_finite() or not -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
            return raw  # text such as 1e999999 spells no count or amount a request can hold: refused as text
        return int(value) if value == value.to_integral_value() else value
    return raw


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _show(value) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _at(grid: list[tuple], row: int, column: int):
    """The value at a 1-based row and column, None outside the sheet's cells."""
    if row > len(grid):
        return None
    cells = grid[row - 1]
    return cells[column - 1] if column <= len(cells) else None


def _width(grid: list[tuple], row: int) -> int:
    """The column of the last non-blank cell of a row."""
    cells = grid[row - 1] if row <= len(grid) else ()
    return max((i for i, v in enumerate(cells, 1) if not _is_blank(v)), default=0)


def _letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number
