"""A facility's customer links on the desk: made, shown once to copy, and revoked from the customer's page (desk
role), the same functions as `procure customer link`, `links` and `revoke`."""

import datetime

from flask import Blueprint, current_app, g, render_template, request

from procure.register.links import create_link, links, revoke, url_of
from procure.register.store import utc_now
from procure.register.users import DESK
from procure.web.auth import require
from procure.web.db import store

bp = Blueprint("customer_links", __name__)


def links_of(dodaac: str) -> dict:
    """What the customer's page shows of the facility's links."""
    return {"links": links(store(), dodaac), "now": utc_now(), "new_link": None}


def _page(dodaac: str, **more):
    from procure.views.customers import amount_of, show_view

    found = show_view(store(), dodaac, datetime.date.today())
    found.update(accepted_total=amount_of(found["accepted_total"]),
                 quotes=[{**q, "total": amount_of(q["total"])} for q in found["quotes"]])
    return render_template("customer.html", customer=found, **{**links_of(found["dodaac"]), **more})


@bp.post("/customers/<dodaac>/links")
@require(DESK)
def make(dodaac):
    settings = current_app.config["PROCURE_SETTINGS"]
    base = (settings.profile.base_url if settings.profile and settings.profile.base_url else request.host_url)
    link, token = create_link(store(), dodaac, by=g.user.name)
    return _page(link.dodaac, new_link=url_of(base, token))


@bp.post("/customers/<dodaac>/links/<int:link_id>/revoke")
@require(DESK)
def revoke_one(dodaac, link_id):
    revoke(store(), dodaac, by=g.user.name, link_id=link_id)
    return _page(dodaac)
