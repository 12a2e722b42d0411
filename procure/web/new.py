"""Preparing a quote: upload a request (a filled form or TOML) or fill it in the editor; check it (the plan as
`procure plan` shows it) or issue it into the register; revise an issued quote from its stored request."""

import datetime

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for

from procure.core.build import build_order
from procure.core.errors import OrderHasErrors, PartialRequest, ProcureError, RegisterError, RuleError
from procure.core.findings import errors_first
from procure.core.order import Order
from procure.core.record import Record
from procure.core.rules import quote_expired
from procure.register.accounts import DESK
from procure.register.facility_directory import directory_of
from procure.register.integrity import revision_problems
from procure.register.issued_with import checked_note
from procure.register.issuing import Source, Superseded, issue
from procure.register.price_lists import NOT_HERE, priced
from procure.web import editor
from procure.web.auth import require
from procure.web.db import is_practice, store
from procure.web.people import prepared_by
from procure.web.quotes import entry_or_404, in_page_words
from procure.web.readiness import desk_blockers, issue_refusals
from procure.web.uploads import Upload, source_of, upload

bp = Blueprint("new", __name__)
ACTIONS = ("check", "issue")
NO_REQUEST = "Request file: choose a filled request form (.xlsx) or a request file (.toml)"
ADD_ROW = {"add-treatment": "treatment", "add-line": "line", "add-stock": "stock"}


@bp.context_processor
def register_prices() -> dict:
    """`register_prices`: whether quotes are priced by the register's lists (no price list is uploaded then)."""
    return {"register_prices": store().has_price_lists()}


def _settings():
    return current_app.config["PROCURE_SETTINGS"]


def plan(source: Source) -> Order:
    """The order as `procure plan` computes it: built as of today, with today's findings, errors first."""
    today = datetime.date.today()
    order = build_order(source.request, _settings().catalog, prices=source.prices, profile=source.profile,
                        today=today)
    return order._replace(findings=errors_first(order.findings + tuple(quote_expired(order.quote, today))))


bp.add_app_template_filter(in_page_words, "page_words")


@bp.context_processor
def readiness():
    """What keeps this desk from issuing, on every page of this blueprint (each could issue)."""
    return {"blockers": desk_blockers(_settings(), register_prices=store().has_price_lists(),
                                      practice=is_practice())}


class Outcome(Record):
    """A request checked (or refused at issue): the plan, the problems reading or issuing it, and why Issue would
    refuse it (`refusals`; `blocked` when ticking Practice quote would not help either)."""

    order: Order | None
    problems: list[str]
    refusals: list[str]
    blocked: bool

    @property
    def failed(self) -> bool:
        return bool(self.problems or self.refusals or (self.order is not None and self.order.errors))


def _outcome(action: str, request_file: Upload, prices: Upload | None, *, revise: str | None = None,
             reason: str | None = None, strip: str | None = None, note: str | None = None):
    """Check or issue the request: its `Outcome`, or a redirect to the quote once issued."""
    order, problems, source = None, [], None
    practice = bool(request.form.get("practice"))
    try:
        source = prepared_by(source_of(request_file, prices, _settings(), directory_of(store())), g.user)
        kept = store().has_price_lists()
        if kept:
            if prices is not None:
                raise RuleError(in_page_words(f"Price list: {prices.name} is not used: {NOT_HERE}"))
            source = source._replace(prices=None, price_list_name=None, price_list_bytes=None)
        if action == "issue":
            try:
                issued = issue(store(), source, _settings().catalog, None, by=g.user.name, revise=revise,
                               reason=reason or None, practice=practice, note=checked_note(note),
                               only_latest=True)
                return redirect(url_for("quotes.quote", number=issued.issued.number), 303)
            except Superseded as e:
                g.newer = e.latest  # the editor offers the newest revision to reload
                problems = [in_page_words(p) for p in e.problems]
            except OrderHasErrors:
                pass  # the plan below shows its errors
            except RegisterError:
                raise  # the register failed, not the request: the error page says so (503)
            except ProcureError as e:
                problems = [in_page_words(p) for p in e.problems]
        order = plan(priced(store(), source, datetime.date.today())[0] if kept else source)
    except RegisterError:
        raise
    except ProcureError as e:
        problems = problems + e.problems
    if strip:
        problems = [_unplaced(p, strip) for p in problems]
    if order is None or source is None:
        return Outcome(order, problems, [], True)
    refusals = [] if problems else issue_refusals(order, source, practice)
    if revise and not problems:
        refusals += [in_page_words(p) for p in revision_problems(store().issued(entry_or_404(revise).number),
                                                                 source.request, order, reason)]
    return Outcome(order, problems, refusals, bool(problems or issue_refusals(order, source, True)))


def _unplaced(problem: str, name: str) -> str:
    """A problem of the editor's request without the line of a file the user never saw."""
    head, sep, rest = problem.partition(": ")
    return rest if sep and (head == name or head.startswith(f"{name}:")) else problem


@bp.route("/quotes/new", methods=["GET", "POST"])
@require(DESK)
def upload_page():
    if request.method == "GET":
        return render_template("new.html", order=None, problems=[], carried=None, prices=None)
    action = request.form.get("action", "check")
    if action not in ACTIONS:
        abort(400)
    request_file, prices = upload("request"), upload("prices")
    if request_file is None:
        return render_template("new.html", order=None, carried=None, prices=prices,
                               problems=[NO_REQUEST]), 422
    outcome = _outcome(action, request_file, prices)
    if not isinstance(outcome, Outcome):
        return outcome
    return render_template("new.html", order=outcome.order, problems=outcome.problems, refusals=outcome.refusals,
                           blocked=outcome.blocked, carried=request_file, prices=prices,
                           action=action), 422 if outcome.failed else 200


@bp.route("/quotes/new/edit", methods=["GET", "POST"])
@require(DESK)
def edit():
    if request.method == "GET":
        return _editor(editor.blank())
    if request.form.get("action") == "load":
        return load_into_editor(upload("request"))
    return _submitted()


@bp.post("/quotes/<number>/revise")
@require(DESK)
def revise(number):
    entry = entry_or_404(number)
    if "editor" in request.form:
        return _submitted(revise=entry.number)
    stored = store().issued(entry.number)
    loaded = _fields_of(Upload(stored.request_name, stored.request_bytes), keep_number=False)
    if loaded is None:
        return _editor(editor.blank(), revise=entry.number,
                       problems=[f"the stored request {stored.request_name} cannot be read any more"]), 422
    carried = Upload(stored.price_list_name, stored.price_list_bytes) \
        if stored.price_list_bytes and not store().has_price_lists() else None
    return _editor(loaded.fields, revise=entry.number, prices=carried, problems=loaded.problems,
                   invalid=loaded.invalid)


class Loaded(Record):
    """A request file read into the editor: its fields, and the problems and fields of its bad values."""

    fields: editor.Fields
    problems: list[str]
    invalid: frozenset[str]


def _fields_of(request_file: Upload | None, keep_number: bool = True) -> Loaded | None:
    """The editor's fields of a request file; a form with bad cells gives every value it holds, the bad ones
    marked; None when the file cannot be read at all."""
    from procure.inputs import request_of_bytes

    if request_file is None:
        return None
    try:
        request = request_of_bytes(request_file.data, request_file.name, directory=directory_of(store()))
        return Loaded(editor.from_request(request, keep_number=keep_number), [], frozenset())
    except PartialRequest as e:
        if e.document is None:
            return None
        return Loaded(editor.from_document(e.document, keep_number=keep_number), list(e.problems),
                      frozenset(editor.field_name(path) for path in e.failed))
    except ProcureError:
        return None


def load_into_editor(request_file: Upload | None):
    """The editor filled from a request checked a moment ago (`Edit in the browser`), bad values marked."""
    loaded = _fields_of(request_file)
    if loaded is None:
        return _editor(editor.blank(), problems=[("the request cannot be read into the editor: fix the problems "
                                                  "it was refused for, or fill the request in here")]), 422
    return _editor(loaded.fields, prices=upload("prices"), problems=loaded.problems,
                   invalid=loaded.invalid), 422 if loaded.problems else 200


def _submitted(revise: str | None = None):
    fields = editor.from_form(request.form)
    action = request.form.get("action", "check")
    prices = upload("prices")
    if action in ADD_ROW:
        return _editor(editor.with_row(fields, ADD_ROW[action]), revise=revise, prices=prices)
    if action not in ACTIONS:
        abort(400)
    text = editor.to_toml(fields)
    reason = request.form.get("reason", "").strip()[:500] if revise else None
    note = request.form.get("internal_note", "") if revise else None
    outcome = _outcome(action, Upload(editor.EDITOR_NAME, text.encode("utf-8")), prices, revise=revise,
                       reason=reason, strip=editor.EDITOR_NAME, note=note)
    if not isinstance(outcome, Outcome):
        return outcome
    if outcome.order is not None:
        fields = editor.with_known(fields, outcome.order.request)
    return _editor(fields, revise=revise, prices=prices, order=outcome.order, problems=outcome.problems,
                   reason=reason, note=note, action=action, refusals=outcome.refusals,
                   blocked=outcome.blocked), 422 if outcome.failed else 200


def _editor(fields: editor.Fields, *, revise: str | None = None, prices: Upload | None = None,
            order: Order | None = None, problems=(), reason: str | None = None, note: str | None = None,
            action: str | None = None, refusals=(), blocked: bool = False,
            invalid: frozenset[str] = frozenset()):
    return render_template("edit.html", **editor_context(fields), revise=revise, prices=prices, order=order,
                           problems=list(problems), reason=reason, note=note, action=action,
                           refusals=list(refusals), blocked=blocked, invalid=invalid, strip=editor.EDITOR_NAME)


def editor_context(fields: editor.Fields) -> dict:
    """What the editor's fields (`_request_fields.html`) need: the fields, the catalog version of the quote date
    (else the newest), its nerve codes and any others the fields tick, and the parts of the installed handpieces'
    generation."""
    settings = _settings()
    date = fields.values.get("quote.date", "")
    try:
        at = datetime.date.fromisoformat(date) if date else datetime.date.today()
        version = settings.catalog.select(at=at)
    except (ValueError, ProcureError):
        version = settings.catalog.versions[-1]
    codes = list(version.targets) + [c for t in fields.treatments for c in t["nerves"] if c not in version.targets]
    generations = {p.generation for p in version.parts if p.kind == "handpiece" and p.part in fields.installed}
    parts = [p for p in version.parts if not generations or p.generation in generations or p.kind == "handpiece"]
    return {"fields": fields, "version": version, "codes": codes, "parts": parts, "scalars": editor.SCALARS}
