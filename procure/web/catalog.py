"""The catalog page (its versions, the parts in force with the desk's prices, the nerve targets) and the blank
Excel request form to download."""

import datetime

from flask import Blueprint, Response, current_app, g, render_template

from procure.core.prices import apply_prices
from procure.web.people import sender_profile

bp = Blueprint("catalog", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _in_force():
    settings = current_app.config["PROCURE_SETTINGS"]
    today = datetime.date.today()
    return settings, today, settings.catalog.in_force(today) or settings.catalog.versions[-1]


@bp.get("/catalog")
def catalog():
    settings, today, version = _in_force()
    return render_template("catalog.html", versions=settings.catalog.versions, version=version,
                           priced=apply_prices(version, settings.prices), prices=settings.prices, today=today)


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
