"""The WAWF data sheet of an accepted order as a file: `.csv` (the lines), `.txt` or `.xlsx` (header and lines).

The CSV has exactly the header `procure.core.wawf.CSV_HEADER`, one row per
line; the text and the workbook put the header block (contract, delivery
order, order date, CAGE, document type, offices, ship-to, inspection and
acceptance point) above the same lines and the total, and the text ends with
what is still missing.
"""

import datetime

from procure.core.money import format_money, json_money
from procure.core.wawf import CSV_HEADER, WawfSheet
from procure.files.csvfile import csv_bytes
from procure.renderers.tables import text_table

SUFFIXES = (".csv", ".txt", ".xlsx")
HEADINGS = ("Item", "Part", "Description", "Quantity", "Unit of issue", "Unit price", "Amount", "IUID")
NOT_KNOWN = "(not known yet)"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def wawf_csv(sheet: WawfSheet) -> bytes:
    return csv_bytes(CSV_HEADER, [[line.item, line.part, line.description, line.quantity, line.unit_of_issue,
                                   json_money(line.unit_price), json_money(line.amount), _yes(line.iuid)]
                                  for line in sheet.lines])


def wawf_text(sheet: WawfSheet) -> bytes:
    width = max(len(label) for label, _ in sheet.header)
    lines = [f"WAWF data for quote {sheet.quote}", "",
             *(f"{label.ljust(width)}  {value or NOT_KNOWN}" for label, value in sheet.header), "",
             text_table(list(HEADINGS), [[line.item, line.part, line.description, f"{line.quantity:,}",
                                          line.unit_of_issue, format_money(line.unit_price),
                                          format_money(line.amount), _yes(line.iuid)] for line in sheet.lines],
                        right={3, 5, 6}),
             "", f"Total  {format_money(sheet.total)}"]
    if any(line.iuid for line in sheet.lines):
        lines.append("IUID: items marked yes cost $5,000 or more each and need unique item identification "
                     "(DFARS 252.211-7003), reported in WAWF.")
    lines += ["", "Still missing: " + ", ".join(sheet.missing) if sheet.missing else "Nothing is missing."]
    return ("\n".join(lines) + "\n").encode("utf-8")


def wawf_xlsx(sheet: WawfSheet, moment: datetime.datetime) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from procure.files.xlsxfile import put, workbook_bytes

    workbook = Workbook()
    ws = workbook.active
    ws.title = "WAWF"
    put(ws, 1, 1, f"WAWF data for quote {sheet.quote}").font = Font(bold=True, size=13)
    row = 3
    for label, value in sheet.header:
        put(ws, row, 1, label).font = Font(bold=True)
        put(ws, row, 2, value or NOT_KNOWN)
        row += 1
    row += 1
    for c, heading in enumerate(HEADINGS, 1):
        put(ws, row, c, heading).font = Font(bold=True)
    for line in sheet.lines:
        row += 1
        values = (line.item, line.part, line.description, line.quantity, line.unit_of_issue, line.unit_price,
                  line.amount, _yes(line.iuid))
        for c, cell in enumerate(values, 1):
            put(ws, row, c, cell, '"$"#,##0.00' if c in (6, 7) else None)
    put(ws, row + 1, 6, "Total").font = Font(bold=True)
    put(ws, row + 1, 7, sheet.total, '"$"#,##0.00').font = Font(bold=True)
    for c, width in enumerate((20, 22, 52, 10, 13, 13, 14, 7), 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    return workbook_bytes(workbook, title=f"WAWF data for quote {sheet.quote}", moment=moment)


def wawf_file(sheet: WawfSheet, suffix: str) -> bytes:
    """The sheet as a `.csv`, `.txt` or `.xlsx` file (`suffix`, one of SUFFIXES); the workbook dated with the
    order date, so that the same order gives the same bytes."""
    if suffix == ".xlsx":
        return wawf_xlsx(sheet, datetime.datetime.combine(sheet.order_date, datetime.time()))
    return (wawf_csv if suffix == ".csv" else wawf_text)(sheet)
