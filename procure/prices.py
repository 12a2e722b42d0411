"""Price lists: CSV or XLSX with at least the columns `part` and `unit_price`.

Lines before the header that start with `#` are settings, `# key = value`:
`illustrative = true` marks the list illustrative (every output then says so),
`title = ...` names it. Other columns (`note`, say) are allowed and ignored.
Every problem is one line naming the line (CSV) or cell (XLSX).
"""

import csv
import hashlib
import io
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from procure.errors import InputError
from procure.money import parse_price
from procure.tomlschema import read_bytes, read_text

REQUIRED = ("part", "unit_price")
SETTINGS = ("illustrative", "title")


class PriceList(NamedTuple):
    name: str
    """The file's name without its folder (outputs never carry a path)."""
    title: str
    illustrative: bool
    prices: dict[str, Decimal]
    digest: str

    @property
    def label(self) -> str:
        """`<title> (<file name>)`, as the outputs name the list."""
        return f"{self.title} ({self.name})"


class _Row(NamedTuple):
    where: str
    """`line 4` or `cell B4`, for messages."""
    cells: list


def read_price_list(path: Path | str, known_parts) -> PriceList:
    """Read and check a price list against the parts of the catalog version in use."""
    path = Path(path)
    if path.suffix.lower() == ".xls":
        raise InputError(f"{path}: the old Excel .xls format cannot be read; save it as .xlsx or CSV")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows, raw = _xlsx_rows(path)
    else:
        text = read_text(path, "price list")
        rows, raw = _csv_rows(text), text.encode("utf-8")
    settings, body, problems = _split_settings(rows, str(path))
    header, data = (body[0], body[1:]) if body else (None, [])
    if header is None:
        raise InputError(f"{path}: the price list is empty: it needs a header line `part,unit_price`")
    columns = {str(c).strip().lower(): i for i, c in enumerate(header.cells) if c is not None and str(c).strip()}
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputError(f"{path}: {header.where}: the header has no column {', '.join(missing)} "
                         f"(found: {', '.join(columns) or 'nothing'})")
    prices, first = {}, {}
    for row in data:
        part, price = (_cell(row.cells, columns[c]) for c in REQUIRED)
        if part == "" and price == "":
            continue
        where = _where(row, columns, path)
        if part == "":
            problems.append(f"{where('part')}: the part number is empty")
            continue
        if part not in known_parts:
            problems.append(f"{where('part')}: part {part} is not in the catalog version in use")
        if part in first:
            problems.append(f"{where('part')}: part {part} is priced twice (first at {first[part]})")
            continue
        first[part] = where("part").split(": ", 1)[-1]
        try:
            prices[part] = parse_price(price) if price != "" else _fail("price is empty")
        except ValueError as e:
            problems.append(f"{where('unit_price')}: {e}")
    if problems:
        raise InputError(problems)
    if not prices:
        raise InputError(f"{path}: the price list has a header but no prices")
    return PriceList(path.name, settings.get("title", path.name), settings.get("illustrative", False), prices,
                     "sha256:" + hashlib.sha256(raw).hexdigest())


def _fail(reason):
    raise ValueError(reason)


def _cell(cells: list, index: int) -> str:
    value = cells[index] if index < len(cells) else None
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


def _where(row: _Row, columns: dict, path: Path):
    def at(column: str) -> str:
        if row.where.startswith("row "):
            return f"{path}: cell {_column_letter(columns[column])}{row.where[4:]}"
        return f"{path}: {row.where}"
    return at


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _split_settings(rows: list[_Row], name: str) -> tuple[dict, list[_Row], list[str]]:
    settings, problems, body = {}, [], []
    for i, row in enumerate(rows):
        first = str(row.cells[0]).strip() if row.cells and row.cells[0] is not None else ""
        if not first.startswith("#"):
            body = [r for r in rows[i:] if any(c not in (None, "") for c in r.cells)]
            break
        key, sep, value = first.lstrip("#").partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep:
            if key == "illustrative":  # a bare `# illustrative` line says so too
                settings[key] = True
            continue
        if key == "illustrative":
            if value.lower() not in ("true", "false", "yes", "no"):
                problems.append(f"{name}: {row.where}: illustrative must be true or false, not {value!r}")
            settings[key] = value.lower() in ("true", "yes")
        elif key == "title":
            settings[key] = value
        else:
            problems.append(f"{name}: {row.where}: unknown setting {key!r}; known: {', '.join(SETTINGS)}")
    return settings, body, problems


def _csv_rows(text: str) -> list[_Row]:
    """Rows of a CSV text; leading `#` settings lines are kept whole (a title may hold commas)."""
    lines = text.splitlines(keepends=True)
    settings = 0
    while settings < len(lines) and lines[settings].lstrip().startswith("#"):
        settings += 1
    rows = [_Row(f"line {i + 1}", [line.strip()]) for i, line in enumerate(lines[:settings])]
    reader = csv.reader(io.StringIO("".join(lines[settings:])))
    for cells in reader:
        if cells:
            rows.append(_Row(f"line {settings + reader.line_num}", [c.strip() for c in cells]))
    return rows


def _xlsx_rows(path: Path) -> tuple[list[_Row], bytes]:
    import openpyxl

    raw = read_bytes(path, "price list")
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            rows = [_Row(f"row {i}", list(r))
                    for i, r in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1)]
        finally:
            book.close()
    except Exception as e:  # openpyxl raises many kinds on a damaged file; each means the same to a user
        raise InputError(f"{path}: is not a readable Excel workbook ({e.__class__.__name__}); "
                         f"save it again from Excel as .xlsx, or use CSV") from None
    return [r for r in rows if any(c is not None for c in r.cells)], raw
