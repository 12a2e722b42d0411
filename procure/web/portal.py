"""The officer's pages under `/c/<token>`: a facility's quotes through its customer link, without an account.

A token that is unknown, expired or revoked answers the same 404 as any unknown
page; a quote of another facility too. These pages neither read nor set the
desk's sign-in cookie (`portal_session`); their forms carry a token of their own
(an HMAC of the link under the desk's secret key), checked on every POST, and
every use is recorded and rate-limited in the register (`register.links`).
The officer's actions (accept, ask for changes, send a request) are in `portal_actions`.
"""

import datetime
import hashlib
import hmac

from flask import Blueprint, abort, current_app, g, render_template, request

from procure.core.ordered import numbered
from procure.register.customer_side import SHOWN, facility_quote, why_not_acceptable
from procure.register.facility_directory import record
from procure.register.links import TooManyPosts, digest, opened, record_use
from procure.register.records import ACCEPTED, SUPERSEDED, VOID, Entry
from procure.web.db import store

bp = Blueprint("portal", __name__, url_prefix="/c/<token>")
WAWF = {"-wawf.xlsx": ".xlsx", "-wawf.csv": ".csv"}
"""The WAWF data sheet of an accepted quote, as the officer downloads it."""


@bp.url_value_preprocessor
def open_link(endpoint, values):
    """The link of the token in the URL, else 404 (the same page whatever the reason)."""
    token = (values or {}).pop("token", "")
    link = opened(store(), token)
    if link is None:
        abort(404)
    g.link, g.token = link, token
    g.facility = record(store(), link.dodaac)


@bp.url_defaults
def keep_token(endpoint, values):
    if "token" not in values and "token" in g:
        values["token"] = g.token


def form_token() -> str:
    """The token the link's forms carry: the link's own, signed with the desk's secret key (holds across workers,
    needs no cookie)."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"customer-link-form:{digest(g.token)}".encode(), hashlib.sha256).hexdigest()


def checked_post(action: str, number: str | None = None) -> None:
    """Before a form of the link is used: 400 without its token; 429 past the rate limit (the attempt recorded)."""
    if not hmac.compare_digest(request.form.get("csrf_token", "").encode(), form_token().encode()):
        abort(400)
    try:
        record_use(store(), g.link, action, request.remote_addr or "unknown", number=number, posted=True)
    except TooManyPosts as e:
        abort(429, str(e))


def used(action: str, number: str | None = None) -> None:
    record_use(store(), g.link, action, request.remote_addr or "unknown", number=number)


def valid_words(entry: Entry, today: datetime.date) -> str:
    """`valid for 12 more days`, `valid through today`, `expired on December 3, 2026`."""
    days = (entry.valid_through - today).days
    if days < 0:
        return f"expired on {entry.valid_through:%B %-d, %Y}"
    if days == 0:
        return "valid through today"
    return f"valid for {days} more day{'s' if days != 1 else ''} (through {entry.valid_through:%B %-d, %Y})"


STATUS_WORDS = {"issued": "open", SUPERSEDED: "replaced", ACCEPTED: "accepted", VOID: "withdrawn",
                "expired": "expired"}


def facility_entries(today: datetime.date) -> list[Entry]:
    """The facility's quotes the link shows, newest first."""
    return [e for e in store().entries(today=today, dodaac=g.link.dodaac) if e.status in SHOWN]


def entry_or_404(number: str) -> Entry:
    entry = facility_quote(store(), g.link, number, datetime.date.today())
    if entry is None:
        abort(404)
    return entry


@bp.get("")
def listing():
    today = datetime.date.today()
    used("list")
    return render_template("portal_list.html", entries=facility_entries(today), today=today, words=valid_words,
                           status_words=STATUS_WORDS)


def quote_context(entry: Entry, **more) -> dict:
    """Everything the quote's page shows to the officer."""
    from procure.web.quote_view import LABELS, previous_of, rebuilt, terms

    issued = store().issued(entry.number)
    order = rebuilt(issued, previous_of(store(), issued))
    files = [(f"{entry.number}{suffix}", LABELS.get(suffix, suffix)) for suffix in store().digests(entry.number)]
    if entry.status == ACCEPTED:
        files += [(f"{entry.number}{name}", f"WAWF data sheet ({suffix[1:]})") for name, suffix in WAWF.items()]
    today = datetime.date.today()
    return {"entry": entry, "order": order, "terms": terms(order) if order else [], "files": files,
            "refusal": why_not_acceptable(entry), "may_change": entry.status not in (SUPERSEDED, VOID),
            "validity": valid_words(entry, today), "status_words": STATUS_WORDS, "problems": [], "done": None,
            "form": {}, "quoted": numbered(issued.lines), "typed": {},
            **more}


@bp.get("/<number>")
def quote(number):
    entry = entry_or_404(number)
    used("view", entry.number)
    return render_template("portal_quote.html", **quote_context(entry))


@bp.get("/<number>/<name>")
def stored_file(number, name):
    from procure.web.quotes import download

    entry = entry_or_404(number)
    for stored in store().files(entry.number):
        if name == f"{entry.number}{stored.suffix}":
            used(f"download {stored.suffix}", entry.number)
            return download(stored.content, name, stored.suffix)
    for ending, suffix in WAWF.items():
        if name == f"{entry.number}{ending}" and entry.status == ACCEPTED:
            used(f"download WAWF {suffix}", entry.number)
            return download(wawf_bytes(entry.number, suffix), name, suffix)
    abort(404)


def wawf_bytes(number: str, suffix: str) -> bytes:
    from procure.register.accepted_wawf import wawf_of
    from procure.renderers.wawf_sheet import wawf_csv, wawf_xlsx

    sheet = wawf_of(store(), current_app.config["PROCURE_SETTINGS"].catalog, number)
    if suffix == ".xlsx":
        return wawf_xlsx(sheet, datetime.datetime.combine(sheet.order_date, datetime.time()))
    return wawf_csv(sheet)


@bp.route("/verify", methods=["GET", "POST"])
def verify():
    from procure.register.verify import lookup
    from procure.web.uploads import file_name

    if request.method == "GET":
        used("verify page")
        return render_template("portal_verify.html", verdicts=None, problem=None)
    checked_post("verify")
    sent = [f for f in request.files.getlist("files") if f.filename]
    if not sent:
        return render_template("portal_verify.html", verdicts=None,
                               problem="Files to verify: choose one or more files"), 422
    today = datetime.date.today()
    verdicts = []
    for f in sent:
        verdict = lookup(store(), file_name(f.filename or ""), f.read(), today)
        ours = verdict.entry is not None and verdict.entry.dodaac == g.link.dodaac and verdict.entry.status in SHOWN
        verdicts.append((verdict.path.name, verdict.entry if ours else None, verdict.suffix if ours else None))
    return render_template("portal_verify.html", verdicts=verdicts, problem=None, status_words=STATUS_WORDS)


def init_portal(app, pages: Blueprint) -> None:
    """The officer's pages (`pages`: this module's blueprint once `portal_actions` has added the actions to it),
    their session rules and template names."""
    from procure.web.auth import WITHOUT_SIGN_IN
    from procure.web.portal_session import LinkAwareSessions

    app.session_interface = LinkAwareSessions(WITHOUT_SIGN_IN)
    app.jinja_env.globals["link_form_token"] = form_token
    app.register_blueprint(pages)
