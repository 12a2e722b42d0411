"""What an officer does through the facility's link: accept a quote with the delivery order, ask for changes, send
a new request to the desk's inbox. Each POST is checked (`portal.checked_post`) before anything runs; a refusal
shows the page again saying why, and records nothing but the use of the link."""

import logging

from flask import current_app, g, render_template, request

from procure.core.errors import InputError, ProcureError, RegisterError, RuleError
from procure.register.customer_side import accept_online, officer, receive_request, request_changes
from procure.renderers.tables import money
from procure.web.db import store
from procure.web.portal import bp, checked_post, entry_or_404, quote_context
from procure.web.quotes import in_page_words, ordered_in

FIELDS = ("delivery_order", "name", "email", "message")
log = logging.getLogger("procure.web")


def _form() -> dict:
    return {k: request.form.get(k, "")[:4000] for k in FIELDS}


def _quote_again(number: str, error: ProcureError, which: str):
    """The quote's page again with the problems of the form `which` (`accept`, `changes`)."""
    problems = [in_page_words(p) for p in error.problems]
    typed = request.form if which == "accept" else {}
    page = render_template("portal_quote.html", **quote_context(entry_or_404(number), problems=problems,
                                                                failed=which, form=_form(), typed=typed))
    return page, 422 if isinstance(error, InputError) else 409


@bp.post("/<number>/accept")
def accept(number):
    entry = entry_or_404(number)
    checked_post("accept", entry.number)
    catalog = current_app.config["PROCURE_SETTINGS"].catalog
    try:
        who = officer(request.form.get("name", ""), request.form.get("email", ""))
        recorded = accept_online(store(), catalog, g.link, entry.number, request.form.get("delivery_order", ""),
                                 who, ordered=ordered_in(request.form))
    except RegisterError:
        raise
    except (InputError, RuleError) as e:
        return _quote_again(entry.number, e, "accept")
    amount = money(recorded.placed.amount)
    _tell_desk(f"{entry.number} accepted online by {g.facility.facility if g.facility else entry.dodaac}",
               f"{who.shown} accepted {entry.number} ({entry.facility}, DoDAAC {entry.dodaac}) with delivery order "
               f"{recorded.placed.delivery_order} for {amount} (quoted {money(entry.total)}) through the "
               "facility's customer link.\n\n" + "".join(f"Check: {w}\n" for w in recorded.warnings))
    done = (f"Thank you, {who.name}: {entry.number} is accepted with delivery order "
            f"{recorded.placed.delivery_order} for {amount}. The vendor sees it on their desk.")
    return render_template("portal_quote.html", **quote_context(entry_or_404(entry.number), done=done))


def _tell_desk(subject: str, text: str) -> None:
    """E-mail the desk what an officer did, when the profile has a mail server; a failure is logged, never the
    officer's problem (what they did is recorded, and the desk's quotes page shows it)."""
    from procure.register.mail import tell_desk

    try:
        tell_desk(current_app.config["PROCURE_SETTINGS"].profile, subject, text)
    except ProcureError as e:
        log.warning("could not e-mail the desk: %s", "; ".join(e.report()))


@bp.post("/<number>/changes")
def changes(number):
    entry = entry_or_404(number)
    checked_post("changes", entry.number)
    try:
        who = officer(request.form.get("name", ""), request.form.get("email", ""))
        request_changes(store(), g.link, entry.number, request.form.get("message", ""), who)
    except RegisterError:
        raise
    except (InputError, RuleError) as e:
        return _quote_again(entry.number, e, "changes")
    _tell_desk(f"Changes requested on {entry.number}", f"{who.shown} asks for changes to {entry.number} "
               f"({entry.facility}, DoDAAC {entry.dodaac}):\n\n{request.form.get('message', '').strip()}\n")
    done = f"Thank you, {who.name}: the vendor has your message about {entry.number} and will answer by e-mail."
    return render_template("portal_quote.html", **quote_context(entry, done=done))


@bp.route("/request", methods=["GET", "POST"])
def new_request():
    from procure.web import editor
    from procure.web.uploads import Upload, upload

    filling = "editor" in request.form or (request.method == "GET" and request.args.get("fill") == "1")
    if request.method == "GET":
        return _request_page(_prefilled() if filling else None)
    checked_post("request")
    fields = editor.from_form(request.form) if filling else None
    action = request.form.get("action", "send")
    if fields is not None and action in ADD_ROW:
        return _request_page(editor.with_row(fields, ADD_ROW[action]))
    sent = (Upload(editor.EDITOR_NAME, editor.to_toml(fields).encode("utf-8")) if fields is not None
            else upload("request"))
    problems: list[str] = []
    try:
        who = officer(request.form.get("name", ""), request.form.get("email", ""))
    except InputError as e:
        problems += e.problems
    if sent is None:
        problems.append("Request file: choose the filled request form (.xlsx) or a request file (.toml)")
    else:
        problems += _request_problems(sent.name, sent.data, strip=fields is not None)
    if problems:
        return _request_page(fields, problems=problems), 422
    assert sent is not None
    receive_request(store(), g.link, who, sent.name, sent.data)
    _tell_desk(f"New request from {g.link.dodaac}", f"{who.shown} sent the request {sent.name} for DoDAAC "
               f"{g.link.dodaac}. It waits in the Requests inbox of the desk.\n")
    return _request_page(None, done=f"Thank you, {who.name}: the vendor has your request {sent.name} and will send "
                                    f"a quote by e-mail.", form={})


ADD_ROW = {"add-treatment": "treatment", "add-line": "line", "add-stock": "stock"}


def _request_problems(name: str, data: bytes, *, strip: bool) -> list[str]:
    """Why the request cannot go to the desk: it cannot be read, or it is another facility's."""
    from procure.inputs import request_of_bytes
    from procure.register.facility_directory import directory_of

    try:
        parsed = request_of_bytes(data, name, directory=directory_of(store()))
    except RegisterError:
        raise
    except ProcureError as e:
        return [p.removeprefix(f"{name}: ") if strip else p for p in e.problems]
    if parsed.customer.dodaac != g.link.dodaac:
        return [f"{name}: the request is for DoDAAC {parsed.customer.dodaac}, but this link is for "
                f"{g.link.dodaac}: use the link of that facility, or correct the DoDAAC"]
    return []


def _prefilled():
    """A blank request with the facility's details from the customer directory."""
    from procure.register.facility_directory import known
    from procure.web import editor

    fields = editor.blank()
    found = known(store(), g.link.dodaac)
    if found is not None:
        values = {f"customer.{k}": v for k, v in found.customer.items() if v}
        values.update({f"order.{k}": v for k, v in found.order.items() if v})
        fields = fields._replace(values=values)
    return fields


def _request_page(fields, *, problems=(), done=None, form=None):
    from procure.web.new import editor_context

    more = editor_context(fields) if fields is not None else {}
    return render_template("portal_request.html", filling=fields is not None, problems=list(problems), done=done,
                           form=_form() if form is None else form, officer=True, **more)
