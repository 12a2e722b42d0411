"""The batch summary: one row per request with `file`, `number`, `facility`, `dodaac`, `total`, `status`, `problem`.

Written as CSV (for scripts) and as a workbook (for people), both from the
outcomes alone: the same outcomes give the same bytes.
"""

import csv
import datetime
import io
from decimal import Decimal

from procure.batch.run import Outcome

COLUMNS = ("file", "number", "facility", "dodaac", "total", "status", "problem")
NAMES = ("batch-summary.csv", "batch-summary.xlsx")
WIDTHS = {"file": 30, "number": 18, "facility": 30, "dodaac": 9, "total": 14, "status": 8, "problem": 80}
MOMENT = datetime.datetime(1980, 1, 1)
"""The summary's document date: it carries no clock."""


def summary_files(outcomes: list[Outcome]) -> list[bytes]:
    """The bytes of the files named NAMES, in that order."""
    return [summary_csv(outcomes), summary_xlsx(outcomes)]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a CSV field as a formula."""


def summary_csv(outcomes: list[Outcome]) -> bytes:
    """The rows as CSV; a text field a spreadsheet would take for a formula starts with `'`, so it stays text."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    writer.writerows([_as_text(value) for value in outcome] for outcome in outcomes)
    return text.getvalue().encode("utf-8")


def _as_text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def summary_xlsx(outcomes: list[Outcome]) -> bytes:
    """Sheet `Batch`: the columns as in the CSV, totals as numbers in dollars, the header frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from procure.renderers.xlsxfile import put, workbook_bytes

    workbook = Workbook()
    ws = workbook.active
    ws.title = "Batch"
    for column, name in enumerate(COLUMNS, 1):
        put(ws, 1, column, name).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(column)].width = WIDTHS[name]
    for row, outcome in enumerate(outcomes, 2):
        for column, (name, value) in enumerate(zip(COLUMNS, outcome), 1):
            if name == "total":
                put(ws, row, column, Decimal(value) if value else None, '"$"#,##0.00')
            else:
                put(ws, row, column, value or None).alignment = Alignment(wrap_text=name == "problem",
                                                                           vertical="top")
    ws.freeze_panes = "A2"
    return workbook_bytes(workbook, title="procure batch summary", moment=MOMENT)
