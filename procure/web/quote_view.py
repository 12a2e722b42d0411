"""What a quote's page shows: its status, history and changes from the register, and the quote itself, rebuilt
from what the register stored (the request, price list, profile and catalog version it was issued from), so the
page says what the PDF says."""

import datetime

from flask import current_app

from procure.core.build import build_order
from procure.core.catalog import piid_display
from procure.core.errors import ProcureError
from procure.core.order import Order
from procure.core.ordered import left_out, numbered, ordered_total
from procure.core.prices import price_list_of_bytes
from procure.core.profile import read_profile
from procure.core.user_files import decode_text
from procure.inputs import request_of_bytes
from procure.presenters.quote_listing import diff_view, price_list_line, shown
from procure.register.accepted_wawf import order_lines
from procure.register.approval import waiting_for
from procure.register.customer_side import changes_asked
from procure.register.issued_with import findings_at_issue, internal_note
from procure.register.numbering import revision_number
from procure.register.ordering import accepted_on
from procure.register.records import ACCEPTED, AWAITING_APPROVAL, EXPIRED, ISSUED, SUPERSEDED, VOID, Issued
from procure.register.store import Store
from procure.renderers.templating import environment, render

LABELS = {".pdf": "PDF", ".xlsx": "Workbook", ".txt": "Text", ".html": "HTML"}


def rebuilt(issued: Issued, previous: Issued | None) -> Order | None:
    """The order of an issued revision as it was issued; None when this desk cannot rebuild it (a catalog
    version it does not have): the stored files remain the record."""
    settings = current_app.config["PROCURE_SETTINGS"]
    try:
        request = request_of_bytes(issued.request_bytes, issued.request_name)
        prices = price_list_of_bytes(issued.price_list_bytes, issued.price_list_name or "prices.csv") \
            if issued.price_list_bytes else None
        profile = read_profile(text=decode_text(issued.profile_bytes, issued.profile_name or "profile", "profile"),
                               name=issued.profile_name) if issued.profile_bytes else None
        order = build_order(request._replace(quote_number=issued.number), settings.catalog, prices=prices,
                            profile=profile, catalog_version=issued.catalog_version, today=issued.date)
    except ProcureError:
        return None
    if previous is not None:
        order = order.revised(base=issued.base, number=issued.revision, supersedes=previous.number,
                              superseded_date=previous.date, previous_lines=previous.lines,
                              previous_total=previous.total, reason=issued.reason)
    return order


def previous_of(store: Store, issued: Issued) -> Issued | None:
    """The revision `issued` superseded; None for an original quote."""
    return store.issued(revision_number(issued.base, issued.revision - 1)) if issued.revision else None


def terms(order: Order) -> list[str]:
    """The terms and notes of the quote, paragraph by paragraph, from the same template as the PDF."""
    text = render(environment(None), "quote-terms.txt.j2", order=order, quote=order.quote,
                  contract=order.catalog.contract, customer=order.request.customer, catalog=order.catalog)
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]


def settings_profile_smtp():
    """The mail server the desk's Send uses, if its profile names one."""
    profile = current_app.config["PROCURE_SETTINGS"].profile
    return profile.smtp if profile else None


def quote_page(store: Store, entry) -> dict:
    """Everything the quote page shows of revision `entry`."""
    today = datetime.date.today()
    found = shown(store, entry, today)
    issued = found.issued
    previous = previous_of(store, issued)
    order = rebuilt(issued, previous)
    latest = found.chain[-1]
    return {"entry": entry, "issued": issued, "chain": found.chain, "events": found.events,
            "sendings": found.sendings, "findings": findings_at_issue(store, issued.number),
            "internal_note": internal_note(store, issued.number), "smtp": settings_profile_smtp(),
            "may_send": entry.status not in (VOID, SUPERSEDED, AWAITING_APPROVAL) and not entry.practice,
            "files": [(f"{issued.number}{suffix}", LABELS.get(suffix, suffix)) for suffix in found.digests],
            "digests": found.digests, "changes": diff_view(previous, issued) if previous else None, "order": order,
            "terms": terms(order) if order else [],
            "may_revise": entry.number == latest.number and entry.status not in (VOID, ACCEPTED),
            "may_accept": entry.status in (ISSUED, EXPIRED, SUPERSEDED) and not entry.practice,
            "may_void": entry.status in (ISSUED, EXPIRED, ACCEPTED),
            "quoted": numbered(issued.lines),
            "placed": placed_view(store, entry, issued), "problems": [], "typed": {}, "today": today,
            "waiting": waiting_for(store, entry), "approvals": found.approvals,
            "price_list": price_list_line(found), "asked": changes_asked(store, entry.number)}


def placed_view(store: Store, entry, issued: Issued) -> dict | None:
    """The delivery order block of an accepted revision: the order in force, what it covers and leaves out."""
    if entry.status != ACCEPTED:
        return None
    orders = store.orders(entry.number)
    placed = orders[-1] if orders else None
    lines = order_lines(issued, placed)
    return {"order": placed, "delivery_order": piid_display(entry.delivery_order or ""),
            "order_date": placed.order_date if placed else accepted_on(entry),
            "ordered_total": ordered_total(lines), "quoted_total": entry.total,
            "ship_to": (placed and placed.ship_to) or entry.dodaac, "left_out": left_out(lines)}
