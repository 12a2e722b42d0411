"""How the quoting went, per month and per facility: `procure register report` (docs/customers-and-email.md).

A quote counts once, as its latest revision (a revision superseded by the next
one is not counted again), in the month of that revision's quote date. Its
status today decides whether it counts as accepted, void or expired. Days to
acceptance run from the day the quote was first issued (its original revision)
to the day the acceptance was recorded. The workbook holds numbers (counts,
money, rates), a `Chart` sheet with a native chart of quoted and accepted totals
per month, and prints one page wide.
"""

import datetime
import statistics
from decimal import Decimal

from procure.core.record import Record
from procure.register.records import ACCEPTED, EXPIRED, SUPERSEDED, VOID, Entry
from procure.register.store import Store

HEADINGS = ("Issued", "Accepted", "Void", "Expired", "Quoted total", "Accepted total", "Acceptance rate",
            "Median days to acceptance")
FORMATS = (None, None, None, None, '"$"#,##0.00', '"$"#,##0.00', "0.0%", "0.0")
MONEY = Decimal("0.00")


class Figures(Record):
    """One row of the report: a month, a facility, or all of them."""

    label: str
    issued: int
    accepted: int
    void: int
    expired: int
    quoted_total: Decimal
    accepted_total: Decimal
    acceptance_rate: Decimal | None
    """Accepted / issued (0.25 for a quarter), None when nothing was issued."""
    median_days: float | None
    """Median days from first issue to acceptance, None when none was accepted."""


class Report(Record):
    start: datetime.date | None
    end: datetime.date | None
    months: list[Figures]
    """Oldest first."""
    facilities: list[Figures]
    """By facility name; the label is `Facility (DoDAAC)`."""
    total: Figures


def report(store: Store, today: datetime.date, start: datetime.date | None = None,
           end: datetime.date | None = None) -> Report:
    """The figures of the quotes dated from `start` to `end` (both included; either may be open)."""
    entries = store.entries(today=today)
    first_issued = {e.base: e.issued_at.date() for e in entries if e.revision == 0}
    counted = [e for e in entries if e.status != SUPERSEDED and (start is None or e.date >= start)
               and (end is None or e.date <= end)]
    months: dict[str, list[Entry]] = {}
    facilities: dict[str, list[Entry]] = {}
    for e in sorted(counted, key=lambda e: (e.date, e.number)):
        months.setdefault(f"{e.date:%Y-%m}", []).append(e)
        facilities.setdefault(e.dodaac, []).append(e)
    by_facility = [_figures(f"{group[-1].facility} ({dodaac})", group, first_issued)
                   for dodaac, group in facilities.items()]
    return Report(start, end, [_figures(month, group, first_issued) for month, group in sorted(months.items())],
                  sorted(by_facility, key=lambda f: f.label.casefold()), _figures("All", counted, first_issued))


def _figures(label: str, entries: list[Entry], first_issued: dict[str, datetime.date]) -> Figures:
    accepted = [e for e in entries if e.status == ACCEPTED]
    days = [(e.event.recorded_at.date() - first_issued.get(e.base, e.issued_at.date())).days
            for e in accepted if e.event is not None]
    issued = len(entries)
    return Figures(
        label=label, issued=issued, accepted=len(accepted), void=sum(e.status == VOID for e in entries),
        expired=sum(e.status == EXPIRED for e in entries), quoted_total=_sum(entries),
        accepted_total=sum((e.ordered_total for e in accepted if e.ordered_total is not None), MONEY),
        acceptance_rate=(Decimal(len(accepted)) / issued).quantize(Decimal("0.0001")) if issued else None,
        median_days=float(statistics.median(days)) if days else None)


def _sum(entries: list[Entry]) -> Decimal:
    return sum((e.total for e in entries if e.total is not None), MONEY)


def report_xlsx(r: Report, today: datetime.date) -> bytes:
    """The report as a workbook: sheets `By month`, `By facility` and `Chart`."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from procure.files.xlsxfile import print_landscape, put, workbook_bytes

    period = f"{r.start or 'the first quote'} to {r.end or 'the last quote'}"
    workbook = Workbook()
    sheets = []
    for ws, title, first, rows in ((workbook.active, "By month", "Month", r.months),
                                   (workbook.create_sheet(), "By facility", "Facility (DoDAAC)", r.facilities)):
        ws.title = title
        put(ws, 1, 1, f"Quotes {title.lower()}, {period} (statuses as of {today})").font = Font(bold=True, size=12)
        for c, heading in enumerate((first, *HEADINGS), 1):
            put(ws, 3, c, heading).font = Font(bold=True)
        for i, figures in enumerate([*rows, r.total]):
            for c, (value, fmt) in enumerate(zip(figures, (None, *FORMATS), strict=True), 1):
                cell = put(ws, 4 + i, c, value, fmt)
                if figures is r.total:
                    cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 44 if title == "By facility" else 12
        for c in range(2, len(HEADINGS) + 2):
            ws.column_dimensions[get_column_letter(c)].width = 15 if c > 5 else 10
        ws.freeze_panes = "B4"
        print_landscape(ws, title_row=3)
        sheets.append(ws)
    chart_sheet = workbook.create_sheet("Chart")
    chart = BarChart()
    chart.type = "col"
    chart.title = "Quoted and accepted totals per month"
    chart.y_axis.title = "US dollars"
    chart.y_axis.numFmt = '"$"#,##0'
    chart.x_axis.title = "Month"
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl hides the axes otherwise
    months = sheets[0]
    last = 3 + len(r.months)
    chart.add_data(Reference(months, min_col=6, max_col=7, min_row=3, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(months, min_col=1, min_row=4, max_row=last))
    chart.width, chart.height = 24, 12
    chart_sheet.add_chart(chart, "A1")
    print_landscape(chart_sheet)
    return workbook_bytes(workbook, title=f"Quote register report, {period}",
                          moment=datetime.datetime.combine(today, datetime.time()))
