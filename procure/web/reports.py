"""The register report (`procure register report`) as a download from the quotes page, for a range of dates."""

import datetime

from flask import Blueprint, request

from procure.core.dates import parse_date
from procure.core.errors import InputError
from procure.web.db import store
from procure.web.quotes import download

bp = Blueprint("reports", __name__)


def _day(field: str, label: str) -> datetime.date | None:
    text = request.args.get(field, "").strip()
    if not text:
        return None
    return parse_date(text, label)


@bp.get("/report.xlsx")
def report():
    from procure.register.report import report as figures, report_xlsx

    start, end = _day("from", "Report from"), _day("to", "Report to")
    if start and end and start > end:
        raise InputError(f"Report from {start} is after Report to {end}: swap them")
    today = datetime.date.today()
    name = "-".join(["report", *(str(d) for d in (start, end) if d)]) or "report"
    return download(report_xlsx(figures(store(), today, start, end), today), f"{name}.xlsx", ".xlsx")
