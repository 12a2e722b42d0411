"""The register as a table, one row per revision: CSV, or an XLSX workbook with typed dates and money.

The workbook is written with openpyxl: dates and moments are dates, totals are
numbers in a money format, and every text cell is text (a facility called
`=SUM(A1)` stays a name, never a formula).
"""

import datetime

from procure.files.csvfile import csv_bytes
from procure.register.records import Entry

HEADINGS = ("Number", "Base", "Revision", "Facility", "DoDAAC", "Quote date", "Valid through", "Total", "Status",
            "Delivery order", "Issued by", "Issued at (UTC)", "Order date", "Order amount", "Practice",
            "Ordered total")
WIDTHS = (18, 14, 9, 36, 9, 11, 13, 14, 11, 16, 14, 20, 11, 14, 9, 14)
FORMATS = {5: "yyyy-mm-dd", 6: "yyyy-mm-dd", 7: '"$"#,##0.00', 11: "yyyy-mm-dd hh:mm:ss", 12: "yyyy-mm-dd",
           13: '"$"#,##0.00', 15: '"$"#,##0.00'}
SUFFIXES = (".csv", ".xlsx")


def _row(e: Entry) -> list:
    return [e.number, e.base, e.revision, e.facility, e.dodaac, e.date, e.valid_through, e.total, e.status,
            e.delivery_order, e.issued_by, e.issued_at.replace(tzinfo=None, microsecond=0), e.order_date,
            e.order_amount, "yes" if e.practice else "no", e.ordered_total]


def export_csv(entries: list[Entry]) -> bytes:
    """The rows as CSV; text a spreadsheet would take for a formula starts with `'` (`csvfile`)."""
    rows = [_row(e) for e in entries]
    for row in rows:
        row[11] = row[11].isoformat(sep=" ")
    return csv_bytes(HEADINGS, rows)


def export_xlsx(entries: list[Entry], today: datetime.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from procure.files.xlsxfile import list_sheet_layout, put, workbook_bytes

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    for c, heading in enumerate(HEADINGS, 1):
        put(sheet, 1, c, heading).font = Font(bold=True)
    for r, e in enumerate(entries, 2):
        for c, value in enumerate(_row(e)):
            put(sheet, r, c + 1, value, FORMATS.get(c))
    for c, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    list_sheet_layout(sheet)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADINGS))}{max(len(entries) + 1, 1)}"
    return workbook_bytes(workbook, title=f"Quote register, {today}",
                          moment=datetime.datetime.combine(today, datetime.time()))
