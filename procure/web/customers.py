"""The facility directory on the desk: every DoDAAC's record with its quotes and accepted total (the same
views as `procure customer list` and `customer show`)."""

import datetime

from flask import Blueprint, abort, render_template

from procure.core.errors import InputError, RuleError
from procure.views.customers import amount_of, list_view, show_view
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
    try:
        found = show_view(store(), dodaac, datetime.date.today())
    except (InputError, RuleError):
        abort(404)
    found.update(accepted_total=amount_of(found["accepted_total"]), quote_count=len(found["quotes"]),
                 quotes=[{**q, "total": amount_of(q["total"])} for q in found["quotes"][:SHOWN]])
    return render_template("customer.html", customer=found)
