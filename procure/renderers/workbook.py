"""The ECAT order workbook: sheets `Order`, `Plan` and `Checks` (customer findings only), read from the Order alone.

A pure function of the Order (docs/architecture.md): every number shown is
one the Order holds, written as a number with a number format; nothing is summed
and no cell holds a formula. Every text cell is written as text, so request text
such as `=HYPERLINK(...)` stays text, and characters XML cannot hold are dropped.
The columns of `Order` come from the layout file `workbook-layout.toml`.

The bytes depend on the Order only: the document dates are the quote date and
the zip entries carry one fixed time (`xlsxfile.workbook_bytes`).
"""

import datetime
import textwrap
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from procure.core.catalog import PRODUCT_FIELDS
from procure.core.money import format_money
from procure.core.order import Order
from procure.core.pricing import OrderLine
from procure.core.revision import Revision
from procure.files.xlsxfile import merge, print_landscape, put, workbook_bytes
from procure.renderers.templating import workbook_layout

LINE_FIELDS = ("line", "contract", "manufacturer", "part", "description", "unit_of_issue", "units_per_pack",
               "quantity", "unit_price", "extended_price", *PRODUCT_FIELDS)
"""The fields a column of the layout file may show."""

MONEY = '"$"#,##0.00'
COUNT = "#,##0"
TEXT = "@"
DATE = "yyyy-mm-dd"
ILLUSTRATIVE = "ILLUSTRATIVE PRICES - not contract prices"
FIELD_FORMATS = {"line": TEXT, "part": TEXT, "units_per_pack": COUNT, "quantity": COUNT,
                 "unit_price": MONEY, "extended_price": MONEY}
PLAN_HEADINGS = ("Treatment", "Consumable", "Procedures", "Per procedure", "Units", "Spare", "Stock", "Net",
                 "Packs")
PLAN_FORMATS = (None, None, COUNT, COUNT, COUNT, COUNT, COUNT, COUNT, None)
CODING_HEADINGS = ("Treatment", "CPT", "Nerves", "Units per procedure", "Procedures", "Site", "Fee per procedure",
                   "Total")
CODING_FORMATS = (None, TEXT, None, COUNT, COUNT, None, MONEY, MONEY)
CHECKS_HEADINGS = ("Severity", "Code", "Message", "Subject", "Where")

MIN_WIDTH, MAX_WIDTH = 8, 60
"""Narrowest and widest column sized to content, in characters; longer text wraps."""
LINE_HEIGHT, MAX_HEIGHT = 15, 409
"""Points a line of wrapped text takes, and the most a row may take."""

BOLD = Font(name="Calibri", bold=True)
TITLE = Font(name="Calibri", bold=True, size=14)
WARNING_FONT = Font(name="Calibri", bold=True, size=12, color="9C0006")
WARNING_FILL = PatternFill("solid", fgColor="FFC7CE")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOP_RULE = Border(top=Side(style="medium"))
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
BODY_ALIGN = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
LEFT = Alignment(horizontal="left")
RIGHT = Alignment(horizontal="right")


def render_workbook(order: Order, templates=None) -> bytes:
    """The `.xlsx` bytes of an order; `templates` is the user's template folder or None."""
    columns = tuple(c for c in workbook_layout(templates, LINE_FIELDS)
                    if not c.when_known or any(c.field in line.part.product for line in order.lines))
    workbook = Workbook()
    _order_sheet(workbook.active, order, columns)
    _plan_sheet(workbook.create_sheet("Plan"), order)
    _checks_sheet(workbook.create_sheet("Checks"), order)
    if order.revision is not None:
        _changes_sheet(workbook.create_sheet("Changes"), order.revision, order.quote.number)
    workbook.active = 0
    moment = datetime.datetime.combine(order.quote.date, datetime.time())
    return workbook_bytes(workbook, title=f"ECAT order {order.quote.number}", moment=moment)


def _order_sheet(ws, order: Order, columns) -> None:
    """The warning when prices are illustrative, the header block, the lines in the layout's columns, the total."""
    ws.title = "Order"
    row = 1
    if order.price_list is not None and order.price_list.illustrative:
        _banner(ws, row, f"{ILLUSTRATIVE}. Do not place this order with these prices.", len(columns))
        row += 1
    put(ws, row, 1, f"ECAT order {order.quote.number}").font = TITLE
    labels: list = []
    shown = None
    """The first value cell that is not a date: how the others are styled (a date also gets its format)."""
    for label, value in _header_block(order):
        row += 1
        labels.append(put(ws, row, 1, label, like=labels[0] if labels else None))
        if len(labels) == 1:
            labels[0].font = BOLD
        dated = isinstance(value, datetime.date)
        cell = put(ws, row, 2, value, DATE if dated else None, like=shown)
        if shown is None:
            cell.alignment = LEFT
            shown = None if dated else cell
    header = row + 2
    _table(ws, header, [c.heading for c in columns],
           [_line_values(order, line, columns) for line in order.lines],
           [FIELD_FORMATS.get(c.field) for c in columns])
    _total_row(ws, header + len(order.lines) + 1, _total_column([c.field for c in columns]), order.total)
    _fit_columns(ws, [header], range(header + 1, header + len(order.lines) + 2),
                 {i: c.width for i, c in enumerate(columns, 1) if c.width}, labels)
    _print_setup(ws, header, order.quote.number)


def _header_block(order: Order) -> list[tuple[str, object]]:
    """The (label, value) rows above the lines; optional customer fields only when given."""
    contract, customer, quote = order.catalog.contract, order.request.customer, order.quote
    number = contract.display_number
    if contract.modification:
        number += f", modification {contract.modification}"
    vendor = order.profile.vendor if order.profile else None
    preparer = order.profile.preparer if order.profile else None
    references = order.request.references
    rows: list[tuple[str, object]] = [("Contract", number), ("Vendor", order.vendor_name)]
    rows += [(label, value) for label, value in (
        ("CAGE", vendor and vendor.cage), ("UEI", vendor and vendor.uei), ("Vendor address", vendor and vendor.address),
        ("Remit to", vendor and vendor.remit_to), ("Vendor phone", vendor and vendor.phone),
        ("Vendor email", vendor and vendor.email)) if value]
    rows += [("Facility", customer.facility), ("DoDAAC", customer.dodaac)]
    rows += [(label, value) for label, value in (
        ("Contact", customer.contact), ("Email", customer.email), ("Phone", customer.phone),
        ("Ship to", customer.ship_to), ("Mark for", references.mark_for), ("Bill to", references.bill_to),
        ("Delivery order", references.delivery_order_display), ("Requisition", references.requisition),
        ("Fund cite", references.fund_cite), ("Required delivery", references.required_delivery),
        ("Prepared by", preparer and ", ".join(v for v in (preparer.name, preparer.title, preparer.phone,
                                                            preparer.email) if v))) if value]
    rows += [("Quote number", quote.number), ("Quote date", quote.date), ("Valid through", quote.valid_through),
             ("Catalog version", f"{order.catalog.version} (sha256 {order.catalog.short_digest})"),
             ("Price list", _price_list_text(order))]
    if order.revision is not None:
        rows.append(("Revision", order.revision.statement))
    return rows


def _price_list_text(order: Order) -> str:
    prices = order.price_list
    if prices is None:
        return "none given: the lines carry no prices"
    return f"{prices.title} ({ILLUSTRATIVE})" if prices.illustrative else prices.title


def _line_values(order: Order, line: OrderLine, columns) -> list:
    part = line.part
    values = {"line": line.line, "contract": order.catalog.contract.display_number,
              "manufacturer": order.catalog.contract.manufacturer, "part": part.part,
              "description": part.description, "unit_of_issue": part.unit_of_issue,
              "units_per_pack": part.units_per_pack, "quantity": line.quantity, "unit_price": line.unit_price,
              "extended_price": line.extended_price}
    values.update({key: fact.value for key, fact in part.product.items()})
    return [values.get(c.field) for c in columns]


def _total_column(fields: list[str]) -> int:
    """The Extended Price column; after the last column when the layout drops it; never column A."""
    column = fields.index("extended_price") + 1 if "extended_price" in fields else len(fields) + 1
    return max(column, 2)


def _total_row(ws, row: int, column: int, total: Decimal | None) -> None:
    """The total in `column`, labelled `Total` in the column before it."""
    label = put(ws, row, column - 1, "Total" if total is not None else "Total (a line has no price)")
    label.font = BOLD
    label.alignment = RIGHT
    cell = put(ws, row, column, total, MONEY)
    cell.font, cell.border = BOLD, TOP_RULE


def _plan_sheet(ws, order: Order) -> None:
    """The derivation table, the planning assumptions, and the coding estimate when there is one."""
    put(ws, 1, 1, "How the quantities were derived").font = TITLE
    _table(ws, 3, PLAN_HEADINGS, [_plan_values(r) for r in order.derivation], PLAN_FORMATS)
    for row, derivation in enumerate(order.derivation, 4):
        if derivation.is_total:
            for cell in _row_cells(ws, row, len(PLAN_HEADINGS)):
                cell.font = BOLD
    row = _notes(ws, 3 + len(order.derivation) + 2, "Planning assumptions", order.customer_assumptions)
    headers, bodies = [3], list(range(4, 4 + len(order.derivation)))
    if order.coding:
        header, last = _coding_table(ws, row + 2, order)
        headers.append(header)
        bodies += range(header + 1, last + 1)
        fees = order.catalog.fees
        _notes(ws, last + 2, None, (f"Fees: {fees.source}", *fees.disclaimers))
    _fit_columns(ws, headers, bodies)
    _print_setup(ws, 3, order.quote.number)


def _notes(ws, row: int, heading: str | None, texts) -> int:
    """A bold heading (if any) and one paragraph per text over the width of the plan; the last row used."""
    if heading is not None:
        put(ws, row, 1, heading).font = BOLD
        row += 1
    last = row - 1
    for last, text in enumerate(texts, row):
        put(ws, last, 1, text).alignment = BODY_ALIGN
        merge(ws, last, 1, len(PLAN_HEADINGS))
    return last


def _coding_table(ws, row: int, order: Order) -> tuple[int, int]:
    """The coding estimate under a bold title at `row`; its header row and its last row."""
    put(ws, row, 1, "Coding estimate").font = BOLD
    header = row + 1
    _table(ws, header, CODING_HEADINGS, [_coding_values(r) for r in order.coding], CODING_FORMATS)
    last = header + len(order.coding)
    if order.coding_total is not None:
        last += 1
        _total_row(ws, last, len(CODING_HEADINGS), order.coding_total)
    return header, last


def _plan_values(row) -> list:
    return [row.treatment, row.consumable, row.procedures, row.per_procedure, row.units, row.spare, row.stock,
            row.net, row.packs]


def _coding_values(row) -> list:
    return [row.treatment, row.cpt, ", ".join(row.nerves), row.units, row.procedures, row.site_label or row.site,
            row.fee_per_procedure, row.total]


def _checks_sheet(ws, order: Order) -> None:
    """The customer's findings, errors first as the Order holds them; the preparer's notes stay off the workbook."""
    findings = order.customer_findings
    put(ws, 1, 1, "Findings").font = TITLE
    if not findings:
        put(ws, 3, 1, "No findings")
        _print_setup(ws, None, order.quote.number)
        return
    _table(ws, 3, CHECKS_HEADINGS,
           [[i.severity, i.code, i.message, i.subject, i.source] for i in findings], [None] * 5)
    _fit_columns(ws, [3], range(4, 4 + len(findings)), {3: 80})
    _print_setup(ws, 3, order.quote.number)


CHANGES_HEADINGS = ("Part", "Description", "Change", "Quantity before", "Quantity after", "Unit price before",
                    "Unit price after", "Extended before", "Extended after")
CHANGES_FORMATS = (TEXT, None, None, COUNT, COUNT, MONEY, MONEY, MONEY, MONEY)


def _changes_sheet(ws, revision: Revision, number: str) -> None:
    """For revision `number`: what it supersedes and why, the changes from that quote, the totals before and after."""
    put(ws, 1, 1, "Changes from the previous revision").font = TITLE
    put(ws, 2, 1, f"{revision.statement}.")
    if revision.reason:
        put(ws, 3, 1, f"Reason: {revision.reason}")
    _table(ws, 5, CHANGES_HEADINGS,
           [[c.part, c.description, c.change, c.quantity_before, c.quantity_after, c.unit_price_before,
             c.unit_price_after, c.extended_before, c.extended_after] for c in revision.changes], CHANGES_FORMATS)
    last = 5 + len(revision.changes)
    for row, (label, amount) in enumerate((("Total before", revision.total_before),
                                           ("Total after", revision.total_after)), last + 2):
        put(ws, row, len(CHANGES_HEADINGS) - 1, label).font = BOLD
        put(ws, row, len(CHANGES_HEADINGS), amount, MONEY).font = BOLD
    _fit_columns(ws, [5], range(6, last + 1), {2: 50})
    _print_setup(ws, 5, number)


def _table(ws, top: int, headings, rows, formats) -> None:
    """A header row at `top` and the rows below it, every cell boxed."""
    first = None
    for column, heading in enumerate(headings, 1):
        cell = put(ws, top, column, heading, like=first)
        if first is None:
            cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, HEADER_ALIGN, GRID
            first = cell
    styled: dict[tuple[object, bool], object] = {}
    """The first cell of each kind: how it is styled, every later cell of its kind is."""
    for row, values in enumerate(rows, top + 1):
        for column, (value, number_format) in enumerate(zip(values, formats, strict=True), 1):
            kind = (number_format if value is not None else None, isinstance(value, str))
            like = styled.get(kind)
            cell = put(ws, row, column, value, like=like)
            if like is None:
                if kind[0]:
                    cell.number_format = kind[0]
                cell.border = GRID
                cell.alignment = BODY_ALIGN if kind[1] else TOP
                styled[kind] = cell


def _banner(ws, row: int, text: str, span: int) -> None:
    """A warning in red over the width of a table."""
    cell = put(ws, row, 1, text)
    cell.font, cell.fill = WARNING_FONT, WARNING_FILL
    merge(ws, row, 1, max(span, 2))


def _size_rows(ws) -> None:
    """Give rows with wrapped text their height: LibreOffice keeps the default height on opening."""
    spans = {(r.min_row, r.min_col): range(r.min_col, r.max_col + 1) for r in ws.merged_cells.ranges}
    widths = {c: ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)}
    lines: dict[int, int] = {}
    for (row, column), cell in ws._cells.items():  # the cells written: iter_rows would make every other one
        value = cell.value
        if not isinstance(value, str):
            continue
        span = spans.get((row, column))
        characters = max(int((widths[column] if span is None else sum(widths[c] for c in span)) * 1.1) - 2, 1)
        if len(value) <= characters and "\t" not in value:
            continue  # one line at most: textwrap would not make it more
        if cell.alignment.wrap_text:
            lines[row] = max(lines.get(row, 1), len(textwrap.wrap(value, characters)))
    for row, count in lines.items():
        if count > 1:
            ws.row_dimensions[row].height = min(LINE_HEIGHT * count, MAX_HEIGHT)


def _shown_length(value) -> int:
    """About how many characters a value takes on screen."""
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return len(format_money(value))
    if isinstance(value, int):
        return len(f"{value:,}")
    return len(str(value))


def _fit_columns(ws, headers, bodies, fixed=None, extra=()) -> None:
    """Size each column to its longest value, its heading's longest word and the `extra` cells."""
    widths: dict[int, int] = {}
    last = ws.max_column
    for row in headers:
        for column, value in enumerate(_row_values(ws, row, last), 1):
            words = str(value or "").split()
            widths[column] = max(widths.get(column, 0), *(len(w) for w in words), MIN_WIDTH)
    shown = [(column, value) for row in bodies for column, value in enumerate(_row_values(ws, row, last), 1)]
    for column, value in shown + [(cell.column, cell.value) for cell in extra]:
        widths[column] = max(widths.get(column, 0), min(_shown_length(value), MAX_WIDTH))
    widths.update(fixed or {})
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width + 2


def _row_values(ws, row: int, last: int) -> list:
    """The values of columns 1 to `last` of a row, None where no cell was written (without making one)."""
    cells = [ws._cells.get((row, column)) for column in range(1, last + 1)]
    return [None if cell is None else cell.value for cell in cells]


def _row_cells(ws, row: int, last: int) -> list:
    """The cells of columns 1 to `last` of a row, as `ws[row]` gives them when `last` is `ws.max_column`,
    without its scan of the whole sheet for the last column (quadratic when done for every row)."""
    return [ws.cell(row=row, column=column) for column in range(1, last + 1)]


def _print_setup(ws, title_row: int | None, quote_number: str) -> None:
    """Rows sized; landscape US Letter, one page wide, the table header frozen and on every page, page numbers."""
    _size_rows(ws)
    if title_row is not None:
        ws.freeze_panes = ws.cell(title_row + 1, 1)
    print_landscape(ws, title_row)
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.75, header=0.3, footer=0.3)
    ws.oddFooter.left.text = quote_number
    ws.oddFooter.right.text = "Page &P of &N"
