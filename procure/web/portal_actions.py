"""What an officer does through the facility's link: accept a quote with the delivery order, ask for changes, send
a new request to the desk's inbox. Each POST is checked (`portal.checked_post`) before anything runs; a refusal
shows the page again saying why, and records nothing but the use of the link."""

import logging

from flask import current_app, g, render_template, request

from procure.core.errors import InputError, ProcureError, RegisterError, RuleError
from procure.register.customer_side import accept_online, officer, receive_request, request_changes
from procure.web.db import store
from procure.web.portal import bp, checked_post, entry_or_404, quote_context
from procure.web.quotes import in_page_words

FIELDS = ("delivery_order", "name", "email", "message")
log = logging.getLogger("procure.web")


def _form() -> dict:
    return {k: request.form.get(k, "")[:4000] for k in FIELDS}


def _quote_again(number: str, error: ProcureError, which: str):
    """The quote's page again with the problems of the form `which` (`accept`, `changes`)."""
    problems = [in_page_words(p) for p in error.problems]
    entry = entry_or_404(number)
    return render_template("portal_quote.html", **quote_context(entry, problems=problems, failed=which,
                                                                 form=_form())), 422 if isinstance(
        error, InputError) else 409


@bp.post("/<number>/accept")
def accept(number):
    entry = entry_or_404(number)
    checked_post("accept", entry.number)
    catalog = current_app.config["PROCURE_SETTINGS"].catalog
    try:
        who = officer(request.form.get("name", ""), request.form.get("email", ""))
        recorded = accept_online(store(), catalog, g.link, entry.number, request.form.get("delivery_order", ""),
                                 who)
    except RegisterError:
        raise
    except (InputError, RuleError) as e:
        return _quote_again(entry.number, e, "accept")
    _tell_desk(f"{entry.number} accepted online by {g.facility.facility if g.facility else entry.dodaac}",
               f"{who.shown} accepted {entry.number} ({entry.facility}, DoDAAC {entry.dodaac}) with delivery order "
               f"{recorded.placed.delivery_order} through the facility's customer link.\n\n"
               + "".join(f"Check: {w}\n" for w in recorded.warnings))
    done = (f"Thank you, {who.name}: {entry.number} is accepted with delivery order "
            f"{recorded.placed.delivery_order}. The vendor sees it on their desk.")
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
    from procure.inputs import request_of_bytes
    from procure.register.customers import directory_of
    from procure.web.uploads import upload

    if request.method == "GET":
        return render_template("portal_request.html", problems=[], form={}, done=None)
    checked_post("request")
    problems: list[str] = []
    sent = upload("request")
    try:
        who = officer(request.form.get("name", ""), request.form.get("email", ""))
    except InputError as e:
        problems += e.problems
    if sent is None:
        problems.append("Request file: choose the filled request form (.xlsx) or a request file (.toml)")
    else:
        try:
            parsed = request_of_bytes(sent.data, sent.name, directory=directory_of(store()))
            if parsed.customer.dodaac != g.link.dodaac:
                problems.append(f"{sent.name}: the request is for DoDAAC {parsed.customer.dodaac}, but this link is "
                                f"for {g.link.dodaac}: use the link of that facility, or correct the DoDAAC")
        except RegisterError:
            raise
        except ProcureError as e:
            problems += e.problems
    if problems:
        return render_template("portal_request.html", problems=problems, form=_form(), done=None), 422
    assert sent is not None
    receive_request(store(), g.link, who, sent.name, sent.data)
    _tell_desk(f"New request from {g.link.dodaac}", f"{who.shown} sent the request {sent.name} for DoDAAC "
               f"{g.link.dodaac}. It waits in the Requests inbox of the desk.\n")
    done = f"Thank you, {who.name}: the vendor has your request {sent.name} and will send a quote by e-mail."
    return render_template("portal_request.html", problems=[], form={}, done=done)
