"""A facility's customer links on the desk: made, shown once to copy, and revoked from the customer's page (desk
role), the same functions as `procure customer link`, `links` and `revoke`."""

from flask import Blueprint, current_app, g, request

from procure.register.accounts import DESK
from procure.register.links import create_link, revoke, url_of
from procure.web.auth import require
from procure.web.customer_pages import customer_page
from procure.web.db import store

bp = Blueprint("customer_links", __name__)


@bp.post("/customers/<dodaac>/links")
@require(DESK)
def make(dodaac):
    settings = current_app.config["PROCURE_SETTINGS"]
    base = (settings.profile.base_url if settings.profile and settings.profile.base_url else request.host_url)
    link, token = create_link(store(), dodaac, by=g.user.name)
    return customer_page(link.dodaac, new_link=url_of(base, token))


@bp.post("/customers/<dodaac>/links/<int:link_id>/revoke")
@require(DESK)
def revoke_one(dodaac, link_id):
    revoke(store(), dodaac, by=g.user.name, link_id=link_id)
    return customer_page(dodaac)
