"""The quotes pages: the register with search and a dashboard, its JSON and exports, a quote's page, its stored
files, the WAWF sheet of an accepted one, and the approver's actions (accept, amend, void, approve, reject)."""

import datetime
import math
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for

from procure.core.dates import parse_date
from procure.core.errors import InputError, RuleError
from procure.register.accounts import APPROVER, DESK
from procure.register.customer_side import mark_news_seen, news_seen
from procure.register.issuing import find
from procure.register.ordering import accept as record_accept, amend as record_amend, void as record_void
from procure.register.records import AWAITING_APPROVAL, STATUSES
from procure.web.auth import require
from procure.web.db import store

bp = Blueprint("quotes", __name__)
PAGE = 50
"""Quotes on a page of the register."""
MAX_PAGE = 1_000_000
"""No register has more pages; a page number beyond it is clamped to it (an offset the database can hold)."""
SOON = 7
"""Days ahead in which an open quote counts as expiring."""
TYPES = {".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8", ".html": "text/html; charset=utf-8",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".csv": "text/csv; charset=utf-8", ".eml": "message/rfc822"}


def _date(name: str, problems: list[str]) -> datetime.date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return parse_date(text, name)
    except InputError as e:
        problems += e.problems
        return None


def _filters() -> tuple[dict, list[str]]:
    """The register's filters from the query `q`, `status`, `since`, `until`; and the problems with them."""
    problems: list[str] = []
    status = request.args.get("status", "").strip() or None
    if status is not None and status not in STATUSES:
        problems.append(f"status: {status!r} is not one of {', '.join(STATUSES)}")
        status = None
    text = request.args.get("q", "").strip()[:100] or None
    return {"text": text, "status": status, "since": _date("since", problems),
            "until": _date("until", problems)}, problems


def _page() -> int:
    """The `page` asked for, from 1 to MAX_PAGE (a larger one is past the end anyway)."""
    try:
        return min(max(1, int(request.args.get("page", "1"))), MAX_PAGE)
    except ValueError:
        return 1


@bp.get("/quotes")
def listing():
    today = datetime.date.today()
    filters, problems = _filters()
    opened = store()
    count = opened.count_entries(today=today, **filters)
    pages = max(1, math.ceil(count / PAGE))
    page = min(_page(), pages)
    entries = opened.entries(today=today, limit=PAGE, offset=(page - 1) * PAGE, **filters)
    open_count, expiring, accepted = opened.dashboard(today=today, soon=today + datetime.timedelta(days=SOON),
                                                      month_start=today.replace(day=1))
    accepted_total = sum((t for t in accepted if t is not None), Decimal(0)) if accepted else None
    awaiting = opened.count_entries(today=today, status=AWAITING_APPROVAL)
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    seen = news_seen(opened, g.user.name)
    since = seen or datetime.datetime.combine(today - datetime.timedelta(days=SOON), datetime.time(),
                                              datetime.UTC)
    from_customers = {"asked": opened.entries(today=today, limit=PAGE, changes_requested=True),
                      "accepted": opened.entries(today=today, limit=PAGE, accepted_online_since=since),
                      "seen": seen}
    return render_template("quotes.html", entries=entries, count=count, page=page, pages=pages, query=query,
                           from_customers=from_customers,
                           problems=problems, statuses=STATUSES, args=request.args, open_count=open_count,
                           expiring=expiring, accepted_count=len(accepted), accepted_total=accepted_total,
                           soon=SOON, awaiting=awaiting)


@bp.post("/quotes/seen")
def seen():
    """What customers accepted through their links until now is seen: the quotes page lists only what comes
    after."""
    mark_news_seen(store(), g.user.name)
    return redirect(url_for("quotes.listing"), 303)


@bp.get("/quotes.json")
def listing_json():
    """The same keys as `procure quote list --json`; the same query; every match, or one `page` of PAGE."""
    filters, problems = _filters()
    if problems:
        return {"errors": problems}, 400
    paged = "page" in request.args
    rows = store().entries_json(today=datetime.date.today(), limit=PAGE if paged else None,
                                offset=(_page() - 1) * PAGE if paged else 0, **filters)
    body = '{"quotes": [' + ", ".join(rows) + "]}"
    return Response(body, mimetype="application/json")


@bp.get("/quotes.<any(csv, xlsx):suffix>")
def export(suffix):
    from procure.register.export import export_csv, export_xlsx

    today = datetime.date.today()
    filters, _ = _filters()
    entries = store().entries(today=today, **filters)
    data = export_xlsx(entries, today) if suffix == "xlsx" else export_csv(entries)
    return download(data, f"register-{today}.{suffix}", "." + suffix)


@bp.get("/quotes/<number>")
def quote(number):
    from procure.web.quote_view import quote_page

    return render_template("quote.html", **quote_page(store(), entry_or_404(number)))


@bp.route("/quotes/<number>/draft.eml", methods=["GET", "POST"])
@require(DESK)
def email_draft(number):
    """The quote as an e-mail draft (`procure quote email`): the stored files attached, from the signed-in user
    when they have an e-mail, to open, check and send in the desk's mail program. The address comes only from the
    page's form (a POST with its CSRF token), so that a link made elsewhere cannot address the quote to someone
    else; a GET drafts it to the quote's contact."""
    from procure.register.mail import compose, eml_bytes, profile_of
    from procure.register.ordering import contract_of
    from procure.web.people import sender_profile

    entry = entry_or_404(number)
    catalog = current_app.config["PROCURE_SETTINGS"].catalog
    to = tuple(filter(None, [request.form.get("to", "").strip()]))
    try:
        draft = compose(store(), entry.number, sender_profile(g.user, profile_of(store(), entry.number, None)),
                        contract_of(store(), catalog, entry).display_number, to=to)
    except (InputError, RuleError) as e:
        return refused(entry.number, e)
    return download(eml_bytes(draft), f"{entry.number}.eml", ".eml")


@bp.get("/quotes/<number>/<name>")
def stored_file(number, name):
    entry = entry_or_404(number)
    for stored in store().files(entry.number):
        if name == f"{entry.number}{stored.suffix}":
            return download(stored.content, name, stored.suffix)
    abort(404)


@bp.post("/quotes/<number>/accept")
@require(APPROVER)
def accept(number):
    entry = entry_or_404(number)
    catalog = current_app.config["PROCURE_SETTINGS"].catalog
    form = request.form
    return _act(entry.number, lambda: record_accept(
        store(), catalog, entry.number, form.get("delivery_order", ""),
        order_date=_order_date(form.get("order_date")), amount=form.get("amount") or None,
        ordered=ordered_in(form),
        force=bool(form.get("force")), by=g.user.name, **_offices(form)), typed=form)


ORDERED = "ordered_"
"""The Accept form's quantity fields: `ordered_0001` is the quantity ordered of line 0001."""


def ordered_in(form) -> dict[str, str]:
    """The quantity ordered of each line an Accept form names (the desk's and the officer's alike)."""
    return {name.removeprefix(ORDERED): value for name, value in form.items() if name.startswith(ORDERED)}


def _offices(form) -> dict[str, Any]:
    """The delivery order's offices as a form gives them (left empty: not given)."""
    return {name: form.get(name) or None for name in ("pay_dodaac", "issue_by", "admin_by", "ship_to")}


@bp.post("/quotes/<number>/amend")
@require(APPROVER)
def amend(number):
    """Correct the accepted quote's delivery order (`procure quote amend`), with the reason."""
    entry = entry_or_404(number)
    catalog = current_app.config["PROCURE_SETTINGS"].catalog
    form = request.form
    return _act(entry.number, lambda: record_amend(store(), catalog, entry.number, form.get("delivery_order", ""),
                                                   form.get("reason", ""), by=g.user.name, **_offices(form)),
                typed=form)


@bp.get("/quotes/<number>/wawf.<any(xlsx, csv, txt):suffix>")
@require(DESK)
def wawf(number, suffix):
    """The WAWF data sheet of the accepted quote (`procure quote wawf`): the ordered lines and their total."""
    from procure.register.accepted_wawf import wawf_of
    from procure.renderers.wawf_sheet import wawf_file

    entry = entry_or_404(number)
    try:
        sheet = wawf_of(store(), current_app.config["PROCURE_SETTINGS"].catalog, entry.number)
    except RuleError:
        abort(404)
    return download(wawf_file(sheet, "." + suffix), f"{entry.number}-wawf.{suffix}", "." + suffix)


def _order_date(value: str | None) -> datetime.date | None:
    """A date field of a form (YYYY-MM-DD, as a browser's date input sends it); None when left empty."""
    if not value or not value.strip():
        return None
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"--order-date {value!r} is not a date: give it as YYYY-MM-DD") from None


@bp.post("/quotes/<number>/void")
@require(APPROVER)
def void(number):
    entry = entry_or_404(number)
    return _act(entry.number, lambda: record_void(store(), entry.number, request.form.get("reason", ""),
                                                  force=bool(request.form.get("force")), by=g.user.name))


@bp.post("/quotes/<number>/approve")
@require(APPROVER)
def approve(number):
    from procure.register.approving import approve as release

    entry = entry_or_404(number)
    return _act(entry.number, lambda: release(store(), entry.number, by=g.user.name))


@bp.post("/quotes/<number>/reject")
@require(APPROVER)
def reject(number):
    from procure.register.approving import reject as refuse

    entry = entry_or_404(number)
    return _act(entry.number, lambda: refuse(store(), entry.number, request.form.get("reason", ""), by=g.user.name))


def _act(number: str, action, typed=None):
    """Run an action on a quote; its page again, saying what went wrong when it was refused (with what was typed
    into the form, `typed`, kept)."""
    try:
        done = action()
    except (InputError, RuleError) as e:
        return refused(number, e, typed)
    for warning in getattr(done, "warnings", ()):
        flash(in_page_words(warning), "warning")
    return redirect(url_for("quotes.quote", number=number), 303)


def refused(number: str, error: InputError | RuleError, typed=None):
    """The quote's page again, saying why an action on it was refused (400), its form filled as it was sent."""
    from procure.web.quote_view import quote_page

    problems = [in_page_words(p) for p in error.problems]
    page = quote_page(store(), entry_or_404(number))
    return render_template("quote.html", **{**page, "problems": problems, "typed": typed or {}}), 400


WORDS = {"give a price list with --prices or [pricing] price_list": "choose a Price list file",
         "--force with --reason": "ticking “Void although accepted” with a Reason",
         "give --force to record": "tick “Record the difference” to record",
         "--ship-to-dodaac": "Ship-to DoDAAC",
         "--delivery-order": "Delivery order", "--order-date": "Order date", "--amount": "Order amount",
         "--pay-dodaac": "Pay office DoDAAC", "--issue-by": "Issue-by DoDAAC", "--admin-by": "Admin DoDAAC",
         "--reason": "Reason", "--to ADDRESS": "an address under E-mail to", "--to": "E-mail to",
         "--force": "“Void although accepted”", "give --practice": "tick “Practice quote”",
         " (issued with --practice)": "", "--practice": "“Practice quote”",
         "; give --by with the approver's name, or ask an approver": ": ask another approver",
         "(`procure prices list` shows them; `procure prices load FILE --effective DATE` adds one)":
         "(the Catalog page shows them; an administrator loads one there, or with `procure prices load`)"}
"""The command line's options, as the page names the controls that stand for them."""


def in_page_words(problem: str) -> str:
    """A register's message in the words of the page: its controls, not the command line's options."""
    for option, control in WORDS.items():
        problem = problem.replace(option, control)
    return problem


def entry_or_404(number: str):
    try:
        return find(store(), number, datetime.date.today())
    except RuleError:
        abort(404)


def download(data: bytes, name: str, suffix: str) -> Response:
    response = Response(data, content_type=TYPES.get(suffix, "application/octet-stream"))
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
