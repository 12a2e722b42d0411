"""The register as a table, one row per revision: CSV, or an XLSX workbook with typed dates and money.

The workbook is written with openpyxl: dates and moments are dates, totals are
numbers in a money format, and every text cell is text (a facility called
`=SUM(A1)` stays a name, never a formula).
"""

import csv
import datetime
import io

from procure.register.store import Entry

HEADINGS = ("Number", "Base", "Revision", "Facility", "DoDAAC", "Quote date", "Valid through", "Total", "Status",
            "Delivery order", "Issued by", "Issued at (UTC)")
WIDTHS = (18, 14, 9, 36, 9, 11, 13, 14, 11, 16, 14, 20)
FORMATS = {5: "yyyy-mm-dd", 6: "yyyy-mm-dd", 7: '"$"#,##0.00', 11: "yyyy-mm-dd hh:mm:ss"}
SUFFIXES = (".csv", ".xlsx")


def _row(e: Entry) -> list:
    return [e.number, e.base, e.revision, e.facility, e.dodaac, e.date, e.valid_through, e.total, e.status,
            e.delivery_order, e.issued_by, e.issued_at.replace(tzinfo=None, microsecond=0)]


def export_csv(entries: list[Entry]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    for e in entries:
        row = _row(e)
        row[11] = row[11].isoformat(sep=" ")
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode("utf-8")


def export_xlsx(entries: list[Entry], today: datetime.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append(HEADINGS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, e in enumerate(entries, 2):
        for c, value in enumerate(_row(e)):
            cell = sheet.cell(row=r, column=c + 1)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"
            else:
                cell.value = value
            if c in FORMATS and value is not None:
                cell.number_format = FORMATS[c]
    for c, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADINGS))}{max(len(entries) + 1, 1)}"
    workbook.properties.creator = "procure"
    workbook.properties.title = f"Quote register, {today}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
