"""The ECAT order workbook: sheets `Order`, `Plan` and `Checks` (customer findings only), read from the Order alone.

A pure function of the Order (docs/architecture.md): every number shown is
one the Order holds, written as a number with a number format; nothing is summed
and no cell holds a formula. Every text cell is written as text, so request text
such as `=HYPERLINK(...)` stays text, and characters XML cannot hold are dropped.
The columns of `Order` come from the layout file `workbook-layout.toml`.

Written with XlsxWriter, cell after cell (a plan of 10,000 treatments is 260,000 of them): each `_Sheet` keeps,
as it writes them, the values its columns are sized to and its wrapped texts, which give their rows a height.
The bytes depend on the Order only: the document dates are the quote date and
the zip entries carry one fixed time (`xlsxwriting.workbook_bytes`).
"""

import datetime
import textwrap
from collections.abc import Collection, Sequence
from decimal import Decimal

import xlsxwriter
from xlsxwriter.format import Format

from procure.core.catalog import PRODUCT_FIELDS
from procure.core.money import format_money
from procure.core.order import Order
from procure.core.pricing import OrderLine
from procure.core.revision import Revision
from procure.files.xlsxwriting import Formats, set_width, workbook_bytes, write_cell, write_text
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
CHANGES_HEADINGS = ("Part", "Description", "Change", "Quantity before", "Quantity after", "Unit price before",
                    "Unit price after", "Extended before", "Extended after")
CHANGES_FORMATS = (TEXT, None, None, COUNT, COUNT, MONEY, MONEY, MONEY, MONEY)

MIN_WIDTH, MAX_WIDTH = 8, 60
"""Narrowest and widest column sized to content, in characters; longer text wraps."""
LINE_HEIGHT, MAX_HEIGHT = 15, 409
"""Points a line of wrapped text takes, and the most a row may take."""

BOLD = {"bold": True}
TITLE = {"bold": True, "font_size": 14}
WARNING = {"bold": True, "font_size": 12, "font_color": "#9C0006", "pattern": 1, "bg_color": "#FFC7CE"}
GRID = {"border": 1, "border_color": "#808080"}
HEADING = {**BOLD, **GRID, "pattern": 1, "bg_color": "#D9E1F2", "text_wrap": True, "valign": "vcenter"}
TOP_RULE = {"top": 2}
WRAPPED = {"text_wrap": True, "valign": "top"}
TOP = {"valign": "top"}
LEFT = {"align": "left"}
RIGHT = {"align": "right"}
"""Cell formats in XlsxWriter's names: fonts are the workbook's (Calibri 11) unless sized; borders 1 thin, 2 medium."""


def render_workbook(order: Order, templates=None) -> bytes:
    """The `.xlsx` bytes of an order; `templates` is the user's template folder or None."""
    columns = tuple(c for c in workbook_layout(templates, LINE_FIELDS)
                    if not c.when_known or any(c.field in line.part.product for line in order.lines))

    def fill(workbook: xlsxwriter.Workbook) -> None:
        formats = Formats(workbook)
        _order_sheet(_Sheet(workbook, formats, "Order"), order, columns)
        _plan_sheet(_Sheet(workbook, formats, "Plan"), order)
        _checks_sheet(_Sheet(workbook, formats, "Checks"), order)
        if order.revision is not None:
            _changes_sheet(_Sheet(workbook, formats, "Changes"), order.revision, order.quote.number)

    moment = datetime.datetime.combine(order.quote.date, datetime.time())
    return workbook_bytes(fill, title=f"ECAT order {order.quote.number}", moment=moment)


class _Sheet:
    """A sheet being written, rows and columns counted from 1 as people read them, and what sizing it takes: the
    headings and the longest values its columns are sized to, and its wrapped texts."""

    def __init__(self, workbook: xlsxwriter.Workbook, formats: Formats, name: str):
        self.ws = workbook.add_worksheet(name)
        self.format = formats.get
        self.last_column = 0
        self.headings: list[Sequence[str]] = []
        """Rows of headings: each column is as wide as its headings' longest word at least."""
        self.longest: dict[int, int] = {}
        """The most characters a value sized to takes in each column (`_shown_length`)."""
        self.wrapped: list[tuple[int, int, int, str]] = []
        """(row, first column, last column, text) of each text that wraps."""
        self.widths: dict[int, int] = {}
        """The width of each column sized (`_fit_columns`), in characters."""

    def put(self, row: int, column: int, value, cell_format: Format | None = None, *, sized: bool = False) -> None:
        """Write a cell (`xlsxwriting.write_cell`); with `sized`, its column is as wide as its value at least."""
        write_cell(self.ws, row - 1, column - 1, value, cell_format)
        self.last_column = max(self.last_column, column)
        if sized:
            self.longest[column] = max(self.longest.get(column, 0), _shown_length(value))

    def merged(self, row: int, last: int, text: str, cell_format: Format | None, *, wrapped: bool = False) -> None:
        """`text` in column 1 over columns 1 to `last` merged; with `wrapped`, its text wraps over their width."""
        self.ws.merge_range(row - 1, 0, row - 1, last - 1, "", cell_format)
        written = write_text(self.ws, row - 1, 0, text, cell_format)
        self.last_column = max(self.last_column, 1)
        if wrapped:
            self.wrapped.append((row, 1, last, written))

    def heading_row(self, row: int, headings: Sequence[str], cell_format: Format | None) -> None:
        """A table's headings from column 1, wrapped; each column is as wide as its heading's longest word."""
        for column, heading in enumerate(headings, 1):
            self.wrapped.append((row, column, column, write_text(self.ws, row - 1, column - 1, heading, cell_format)))
        self.headings.append(headings)
        self.last_column = max(self.last_column, len(headings))

    def table_row(self, row: int, values: Sequence, formats: Sequence[tuple[Format | None, ...]]) -> None:
        """The cells of a table row from column 1, each in its column's format for an empty cell, a text (which
        wraps) or a number; the columns are as wide as their values at least."""
        ws, at = self.ws, row - 1
        for column, (value, (empty, text_format, number_format)) in enumerate(zip(values, formats, strict=True), 1):
            if value is None:
                ws.write_blank(at, column - 1, None, empty)
                continue
            if isinstance(value, str):
                text = write_text(ws, at, column - 1, value, text_format)
                self.wrapped.append((row, column, column, text))
                length = len(text)
            else:
                ws.write_number(at, column - 1, value, number_format)
                length = _shown_length(value)
            if length > self.longest.get(column, 0):
                self.longest[column] = length
        self.last_column = max(self.last_column, len(values))


def _order_sheet(sheet: _Sheet, order: Order, columns) -> None:
    """The warning when prices are illustrative, the header block, the lines in the layout's columns, the total."""
    row = 1
    if order.price_list is not None and order.price_list.illustrative:
        warning = f"{ILLUSTRATIVE}. Do not place this order with these prices."
        sheet.merged(row, max(len(columns), 2), warning, sheet.format(WARNING))
        row += 1
    sheet.put(row, 1, f"ECAT order {order.quote.number}", sheet.format(TITLE))
    label, shown, dated = sheet.format(BOLD), sheet.format(LEFT), sheet.format(LEFT, _shown_as(DATE))
    for text, value in _header_block(order):
        row += 1
        sheet.put(row, 1, text, label, sized=True)
        sheet.put(row, 2, value, dated if isinstance(value, datetime.date) else shown)
    header = row + 2
    _table(sheet, header, [c.heading for c in columns], [_line_values(order, line, columns) for line in order.lines],
           [FIELD_FORMATS.get(c.field) for c in columns])
    _total_row(sheet, header + len(order.lines) + 1, _total_column([c.field for c in columns]), order.total)
    _fit_columns(sheet, {i: c.width for i, c in enumerate(columns, 1) if c.width})
    _print_setup(sheet, header, order.quote.number)


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


def _total_row(sheet: _Sheet, row: int, column: int, total: Decimal | None) -> None:
    """The total in `column`, labelled `Total` in the column before it; the columns are sized to it too."""
    label = "Total" if total is not None else "Total (a line has no price)"
    sheet.put(row, column - 1, label, sheet.format(BOLD, RIGHT), sized=True)
    sheet.put(row, column, total, sheet.format(BOLD, TOP_RULE, _shown_as(MONEY, filled=total is not None)), sized=True)


def _plan_sheet(sheet: _Sheet, order: Order) -> None:
    """The derivation table, the planning assumptions, and the coding estimate when there is one."""
    sheet.put(1, 1, "How the quantities were derived", sheet.format(TITLE))
    _table(sheet, 3, PLAN_HEADINGS, [_plan_values(r) for r in order.derivation], PLAN_FORMATS,
           bold={row for row, derivation in enumerate(order.derivation, 4) if derivation.is_total})
    row = _notes(sheet, 3 + len(order.derivation) + 2, "Planning assumptions", order.customer_assumptions)
    if order.coding:
        last = _coding_table(sheet, row + 2, order)
        fees = order.catalog.fees
        _notes(sheet, last + 2, None, (f"Fees: {fees.source}", *fees.disclaimers))
    _fit_columns(sheet)
    _print_setup(sheet, 3, order.quote.number)


def _notes(sheet: _Sheet, row: int, heading: str | None, texts) -> int:
    """A bold heading (if any) and one paragraph per text over the width of the plan; the last row used."""
    if heading is not None:
        sheet.put(row, 1, heading, sheet.format(BOLD))
        row += 1
    last = row - 1
    for last, text in enumerate(texts, row):
        sheet.merged(last, len(PLAN_HEADINGS), text, sheet.format(WRAPPED), wrapped=True)
    return last


def _coding_table(sheet: _Sheet, row: int, order: Order) -> int:
    """The coding estimate under a bold title at `row`; its last row."""
    sheet.put(row, 1, "Coding estimate", sheet.format(BOLD))
    header = row + 1
    _table(sheet, header, CODING_HEADINGS, [_coding_values(r) for r in order.coding], CODING_FORMATS)
    last = header + len(order.coding)
    if order.coding_total is not None:
        last += 1
        _total_row(sheet, last, len(CODING_HEADINGS), order.coding_total)
    return last


def _plan_values(row) -> list:
    return [row.treatment, row.consumable, row.procedures, row.per_procedure, row.units, row.spare, row.stock,
            row.net, row.packs]


def _coding_values(row) -> list:
    return [row.treatment, row.cpt, ", ".join(row.nerves), row.units, row.procedures, row.site_label or row.site,
            row.fee_per_procedure, row.total]


def _checks_sheet(sheet: _Sheet, order: Order) -> None:
    """The customer's findings, errors first as the Order holds them; the preparer's notes stay off the workbook."""
    findings = order.customer_findings
    sheet.put(1, 1, "Findings", sheet.format(TITLE))
    if not findings:
        sheet.put(3, 1, "No findings", sized=True)
        _fit_columns(sheet)
        _print_setup(sheet, None, order.quote.number)
        return
    _table(sheet, 3, CHECKS_HEADINGS,
           [[i.severity, i.code, i.message, i.subject, i.source] for i in findings], [None] * 5)
    _fit_columns(sheet, {3: 80})
    _print_setup(sheet, 3, order.quote.number)


def _changes_sheet(sheet: _Sheet, revision: Revision, number: str) -> None:
    """For revision `number`: what it supersedes and why, the changes from that quote, the totals before and after."""
    sheet.put(1, 1, "Changes from the previous revision", sheet.format(TITLE))
    sheet.put(2, 1, f"{revision.statement}.")
    if revision.reason:
        sheet.put(3, 1, f"Reason: {revision.reason}")
    _table(sheet, 5, CHANGES_HEADINGS,
           [[c.part, c.description, c.change, c.quantity_before, c.quantity_after, c.unit_price_before,
             c.unit_price_after, c.extended_before, c.extended_after] for c in revision.changes], CHANGES_FORMATS)
    last = 5 + len(revision.changes)
    for row, (label, amount) in enumerate((("Total before", revision.total_before),
                                           ("Total after", revision.total_after)), last + 2):
        sheet.put(row, len(CHANGES_HEADINGS) - 1, label, sheet.format(BOLD))
        sheet.put(row, len(CHANGES_HEADINGS), amount, sheet.format(BOLD, _shown_as(MONEY, filled=amount is not None)))
    _fit_columns(sheet, {2: 50})
    _print_setup(sheet, 5, number)


def _table(sheet: _Sheet, top: int, headings: Sequence[str], rows: list[list], formats,
           bold: Collection[int] = ()) -> None:
    """A header row at `top` and the rows below it, every cell boxed; the rows numbered in `bold` in bold."""
    sheet.heading_row(top, headings, sheet.format(HEADING))
    plain = [_cell_formats(sheet, number_format) for number_format in formats]
    emphasised = [_cell_formats(sheet, number_format, BOLD) for number_format in formats]
    for row, values in enumerate(rows, top + 1):
        sheet.table_row(row, values, emphasised if row in bold else plain)


def _cell_formats(sheet: _Sheet, number_format: str | None, *more) -> tuple[Format | None, ...]:
    """The formats of a table column's cells: empty, text (wrapped), number."""
    shown = _shown_as(number_format)
    return (sheet.format(GRID, TOP, *more), sheet.format(GRID, WRAPPED, shown, *more),
            sheet.format(GRID, TOP, shown, *more))


def _shown_as(number_format: str | None, *, filled: bool = True) -> dict[str, str]:
    """The cell format property of a number format; none for None, or for a cell left empty."""
    return {"num_format": number_format} if number_format and filled else {}


def _shown_length(value) -> int:
    """About how many characters a value takes on screen."""
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return len(format_money(value))
    if isinstance(value, int):
        return len(f"{value:,}")
    return len(str(value))


def _fit_columns(sheet: _Sheet, fixed: dict[int, int] | None = None) -> None:
    """Size each column to its headings' longest word and its longest value; `fixed` widths win."""
    widths = dict.fromkeys(range(1, sheet.last_column + 1), MIN_WIDTH)
    for headings in sheet.headings:
        for column, heading in enumerate(headings, 1):
            widths[column] = max(widths[column], max((len(word) for word in heading.split()), default=0))
    for column, length in sheet.longest.items():
        widths[column] = max(widths[column], min(length, MAX_WIDTH))
    widths.update(fixed or {})
    for column, width in widths.items():
        sheet.widths[column] = width + 2
        set_width(sheet.ws, column - 1, width + 2)


def _size_rows(sheet: _Sheet) -> None:
    """Give rows with wrapped text their height: LibreOffice keeps the default height on opening."""
    lines: dict[int, int] = {}
    for row, first, last, text in sheet.wrapped:
        characters = max(int(sum(sheet.widths[c] for c in range(first, last + 1)) * 1.1) - 2, 1)
        if len(text) <= characters and "\t" not in text:
            continue  # one line at most: textwrap would not make it more
        lines[row] = max(lines.get(row, 1), len(textwrap.wrap(text, characters)))
    for row, count in lines.items():
        if count > 1:
            sheet.ws.set_row(row - 1, min(LINE_HEIGHT * count, MAX_HEIGHT))


def _print_setup(sheet: _Sheet, title_row: int | None, quote_number: str) -> None:
    """Rows sized; landscape US Letter, one page wide, the table header frozen and on every page, page numbers."""
    _size_rows(sheet)
    ws = sheet.ws
    if title_row is not None:
        ws.freeze_panes(title_row, 0)
        ws.repeat_rows(title_row - 1)
    ws.set_landscape()
    ws.set_paper(1)  # US Letter
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.75)
    ws.set_footer(f"&L{quote_number}&RPage &P of &N", {"margin": 0.3})
