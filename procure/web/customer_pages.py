"""The facility directory on the desk: every DoDAAC's record with its quotes and accepted total (the same
views as `procure customer list` and `customer show`), and a record edited by the desk (a new version of it)."""

import datetime

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from procure.core.errors import InputError, RuleError
from procure.presenters.customer_listing import amount_of, list_view, show_view
from procure.register.accounts import DESK
from procure.register.facility_directory import edit_customer
from procure.register.links import links
from procure.register.records import Contact
from procure.register.stored import utc_now
from procure.web.auth import require
from procure.web.db import store

bp = Blueprint("customers", __name__)
SHOWN = 100
"""The newest quotes a customer's page lists; the quotes page lists them all, page by page."""


@bp.get("/customers")
def listing():
    found = list_view(store(), datetime.date.today())["customers"]
    return render_template("customers.html",
                           customers=[{**c, "accepted_total": amount_of(c["accepted_total"])} for c in found])


@bp.get("/customers/<dodaac>")
def customer(dodaac):
    return customer_page(dodaac)


def customer_page(dodaac: str, **more):
    """A facility's page: its record, its quotes with their ordered totals, its customer links (`more`: what the
    links' actions add, such as a new link shown once); 404 for a DoDAAC the directory does not know."""
    try:
        found = show_view(store(), dodaac, datetime.date.today())
    except (InputError, RuleError):
        abort(404)
    found.update(accepted_total=amount_of(found["accepted_total"]), quote_count=len(found["quotes"]),
                 quotes=[{**q, "total": amount_of(q["total"]),
                          "ordered": None if q["ordered_total"] is None else amount_of(q["ordered_total"])}
                         for q in found["quotes"][:SHOWN]])
    shown = {"links": links(store(), found["dodaac"]), "now": utc_now(), "new_link": None, **more}
    return render_template("customer.html", customer=found, **shown)


MAX_CONTACTS = 20
"""The most contacts the edit form takes."""


@bp.route("/customers/<dodaac>/edit", methods=["GET", "POST"])
@require(DESK)
def edit(dodaac):
    try:
        found = show_view(store(), dodaac, datetime.date.today())
    except (InputError, RuleError):
        abort(404)
    if request.method == "GET":
        return _form(found, found["contacts"], [])
    form = request.form
    contacts = [Contact(form.get(f"contact.{i}.name"), form.get(f"contact.{i}.email"), form.get(f"contact.{i}.phone"))
                for i in range(MAX_CONTACTS) if f"contact.{i}.name" in form]
    texts = {k: form.get(k, "") for k in ("facility", "ship_to", "bill_to", "mark_for")}
    try:
        edit_customer(store(), found["dodaac"], texts, contacts, by=g.user.name)
    except (InputError, RuleError) as e:
        return _form({**found, **texts}, [c._asdict() for c in contacts], e.problems), 422
    flash(f"Saved the record of {found['dodaac']}.")
    return redirect(url_for("customers.customer", dodaac=found["dodaac"]), 303)


def _form(record: dict, contacts: list[dict], problems: list[str]):
    """The edit form with one empty contact row to add a contact."""
    rows = [*contacts, {"name": "", "email": "", "phone": ""}][:MAX_CONTACTS]
    return render_template("customer_edit.html", customer=record, contacts=rows, problems=problems)
