"""The batch summary: one row per request with `file`, `number`, `facility`, `dodaac`, `total`, `status`, `problem`,
`warnings` (the codes of the request's warnings) and `illustrative` (`yes` when its prices are illustrative).

Written as CSV (for scripts) and as a workbook (for people), both from the
outcomes alone: the same outcomes give the same bytes.
"""

import datetime
from decimal import Decimal

from procure.batch.run import SUMMARY_STEM, JobResult
from procure.files.csvfile import csv_bytes

COLUMNS = ("file", "number", "facility", "dodaac", "total", "status", "problem", "warnings", "illustrative")
NAMES = (f"{SUMMARY_STEM}.csv", f"{SUMMARY_STEM}.xlsx")
WIDTHS = {"file": 26, "number": 16, "facility": 26, "dodaac": 9, "total": 13, "status": 8, "problem": 50,
          "warnings": 30, "illustrative": 11}
MOMENT = datetime.datetime(1980, 1, 1)
"""The summary's document date: it carries no clock."""


def summary_files(outcomes: list[JobResult]) -> list[bytes]:
    """The bytes of the files named NAMES, in that order."""
    return [summary_csv(outcomes), summary_xlsx(outcomes)]


def summary_csv(outcomes: list[JobResult]) -> bytes:
    return csv_bytes(COLUMNS, outcomes)


def summary_xlsx(outcomes: list[JobResult]) -> bytes:
    """Sheet `Batch`: the columns as in the CSV, totals as numbers in dollars, the header frozen; it prints
    landscape, one page wide, its text wrapped."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from procure.files.xlsxfile import list_sheet_layout, put, workbook_bytes

    workbook = Workbook()
    ws = workbook.active
    ws.title = "Batch"
    for column, name in enumerate(COLUMNS, 1):
        put(ws, 1, column, name).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(column)].width = WIDTHS[name]
    for row, outcome in enumerate(outcomes, 2):
        for column, (name, value) in enumerate(zip(COLUMNS, outcome, strict=True), 1):
            if name == "total":
                put(ws, row, column, Decimal(value) if value else None, '"$"#,##0.00')
            else:
                put(ws, row, column, value or None)
    list_sheet_layout(ws)
    return workbook_bytes(workbook, title="procure batch summary", moment=MOMENT)
