"""Sending a quote from its page and following up: **Send** through the profile's mail server (To, Cc and a cover
note; From and Reply-To the signed-in user's when they have an e-mail), **Mark as sent** for a draft sent from the
user's own mail program, and the **Due** page of what to act on. The same register functions as `procure quote
send` and `quote due`; every sending is an event recorded under the signed-in user."""

import datetime

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from procure.core.dates import parse_date
from procure.core.errors import InputError, RuleError
from procure.register.accounts import DESK
from procure.register.due import due as due_quotes
from procure.register.mail import compose, mark_sent, send as deliver
from procure.register.ordering import contract_of
from procure.web.auth import require
from procure.web.db import store
from procure.web.people import sender_profile
from procure.web.quotes import entry_or_404, refused

bp = Blueprint("sending", __name__)
DUE_DAYS = 7
"""Days ahead the Due page looks for expiring quotes, unless asked for others."""


def _addresses(field: str) -> tuple[str, ...]:
    """The addresses typed in `field`, separated by commas or semicolons."""
    return tuple(a.strip() for a in request.form.get(field, "").replace(";", ",").split(",") if a.strip())


@bp.post("/quotes/<number>/send")
@require(DESK)
def send(number):
    entry = entry_or_404(number)
    settings = current_app.config["PROCURE_SETTINGS"]
    profile = sender_profile(g.user, settings.profile)
    try:
        draft = compose(store(), entry.number, profile, contract_of(store(), settings.catalog, entry).display_number,
                        to=_addresses("to"), cc=_addresses("cc"), cover=request.form.get("cover_note"))
        sent, refusals = deliver(store(), draft, profile.smtp if profile else None, by=g.user.name)
    except (InputError, RuleError) as e:
        return refused(entry.number, _in_page_words(e))
    copies = f" (cc {', '.join(sent.cc)})" if sent.cc else ""
    flash(f"Sent {sent.number} to {', '.join(sent.recipients)}{copies} from {draft.message['From']}.")
    for line in refusals:
        flash(line)
    return redirect(url_for("quotes.quote", number=entry.number), 303)


@bp.post("/quotes/<number>/sent")
@require(DESK)
def marked(number):
    entry = entry_or_404(number)
    try:
        on = _day(request.form.get("sent_on", ""))
        sent = mark_sent(store(), entry.number, request.form.get("sent_to", ""), on, by=g.user.name)
    except (InputError, RuleError) as e:
        return refused(entry.number, e)
    flash(f"Recorded: {sent.number} was sent to {', '.join(sent.recipients)} on {on}.")
    return redirect(url_for("quotes.quote", number=entry.number), 303)


def _day(text: str) -> datetime.date:
    if not text.strip():
        return datetime.date.today()
    return parse_date(text.strip(), "Date sent")


def _in_page_words(error: InputError | RuleError) -> InputError | RuleError:
    """A sending's refusal as the page names its controls (To, Cc) and the profile's mail server."""
    words = {"--to ADDRESS": "an address under To", "--to": "To", "--cc": "Cc",
             "or use `procure quote email` to save a draft": "or use E-mail draft and Mark as sent",
             "`procure customer set": "the customer's page (`procure customer set"}
    problems = []
    for problem in error.problems:
        for option, control in words.items():
            problem = problem.replace(option, control)
        problems.append(problem)
    return type(error)(problems)


@bp.get("/due")
def due():
    try:
        within = min(max(int(request.args.get("within", DUE_DAYS)), 0), 3650)
    except ValueError:
        within = DUE_DAYS
    today = datetime.date.today()
    return render_template("due.html", due=due_quotes(store(), today, within), within=within, today=today)
