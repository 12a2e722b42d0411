"""The catalog page (its versions, the parts in force with the desk's prices, the nerve targets, the register's
price lists and their history), an administrator's loading of a price list (its changes shown before it is
loaded), and the blank Excel request form to download."""

import datetime

from flask import Blueprint, Response, current_app, flash, g, redirect, render_template, request, url_for

from procure.core.dates import parse_date
from procure.core.errors import InputError, ProcureError, RegisterError
from procure.core.prices import apply_prices, price_list_of_bytes
from procure.register import price_lists
from procure.register.accounts import ADMIN
from procure.web.auth import require
from procure.web.db import store
from procure.web.people import sender_profile
from procure.web.quotes import in_page_words
from procure.web.uploads import upload

bp = Blueprint("catalog", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LOAD_ACTIONS = ("preview", "load")


def _in_force():
    settings = current_app.config["PROCURE_SETTINGS"]
    today = datetime.date.today()
    return settings, today, settings.catalog.in_force(today) or settings.catalog.versions[-1]


def _page(status: int = 200, **shown):
    """The catalog page: the parts priced by the register's list in force today (else the desk's price list)."""
    settings, today, version = _in_force()
    opened = store()
    in_force = opened.price_list_on(today)
    prices = price_lists.parsed(opened, in_force) if in_force else settings.prices
    try:
        priced = apply_prices(version, prices)
    except ProcureError:  # a list loaded for a later catalog version: the parts unpriced, the list still named
        priced = version
    values = {"versions": settings.catalog.versions, "version": version, "priced": priced, "prices": prices,
              "today": today, "lists": opened.price_lists(), "in_force": in_force, "preview": None,
              "problems": [], "form": {}}
    return render_template("catalog.html", **{**values, **shown}), status


@bp.get("/catalog")
def catalog():
    return _page()


@bp.post("/catalog/prices")
@require(ADMIN)
def load_prices():
    """`preview`: the list checked and its changes from the list in force on its date; `load`: store it."""
    action = request.form.get("action", "preview")
    form = {"effective": request.form.get("effective", "").strip()[:10], "note": request.form.get("note", "")[:300]}
    file = upload("prices")
    if action not in LOAD_ACTIONS:
        action = "preview"
    try:
        effective = _effective(form["effective"])
        if file is None:
            raise InputError("Price list: choose the contract's price list file (CSV or XLSX)")
        settings = current_app.config["PROCURE_SETTINGS"]
        prices = price_lists.checked(price_list_of_bytes(file.data, file.name), settings.catalog, effective)
        if action == "load":
            loaded = price_lists.load(store(), prices, file.data, effective=effective, note=form["note"],
                                      by=g.user.name)
            flash(f"Loaded {loaded.label}: {loaded.parts} parts.")
            return redirect(url_for("catalog.catalog"), 303)
    except RegisterError:
        raise
    except ProcureError as e:
        return _page(422, problems=[in_page_words(p) for p in e.problems], form=form, carried=file)
    before = store().price_list_on(effective)
    changes = price_lists.changes(price_lists.parsed(store(), before), prices) if before else None
    return _page(preview={"prices": prices, "before": before, "changes": changes, "effective": effective},
                 form=form, carried=file)


def _effective(text: str) -> datetime.date:
    if not text:
        raise InputError("Effective date: give the date from which the list is in force")
    return parse_date(text, "Effective date")


@bp.get("/form.xlsx")
def blank_form():
    """The form to hand a customer: to be returned to the signed-in user (else the profile's preparer), without
    the fields the desk fills in."""
    from procure.forms.write import render_form

    settings, _, version = _in_force()
    response = Response(render_form(version, profile=sender_profile(g.user, settings.profile), customer=True),
                        mimetype=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="request-form-{version.version}.xlsx"'
    return response
