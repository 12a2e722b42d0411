"""The facility directory as `customer show|list` print it: JSON (the keys of `show` are a contract) and text."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from procure.core.errors import RuleError
from procure.core.money import json_money
from procure.presenters.quote_listing import moment
from procure.register.facility_directory import dodaac_of
from procure.register.records import ACCEPTED, AWAITING_APPROVAL, CustomerVersion, Entry
from procure.register.store import Store
from procure.renderers.tables import money, text_table


def _version_view(v: CustomerVersion) -> dict:
    return {"dodaac": v.dodaac, "facility": v.facility, "ship_to": v.ship_to, "bill_to": v.bill_to,
            "mark_for": v.mark_for, "contacts": [c._asdict() for c in v.contacts]}


def ordered_sum(entries: Iterable[Entry]) -> Decimal:
    """What the accepted quotes among `entries` were ordered for: the ordered lines' totals, not the quotes'."""
    return sum((e.ordered_total for e in entries if e.status == ACCEPTED and e.ordered_total is not None),
               Decimal("0.00"))


def show_view(store: Store, dodaac: str, today: datetime.date) -> dict:
    """`customer show --json` (its keys are a contract), with the record's versions after them."""
    dodaac = dodaac_of(dodaac)
    versions = store.customer_versions(dodaac)
    if not versions:
        raise RuleError(f"{dodaac}: no such DoDAAC in the customer directory of {store.target.shown} "
                        f"(`procure customer list` shows them)")
    entries = store.entries(today=today, dodaac=dodaac)
    accepted = ordered_sum(entries)
    return {**_version_view(versions[-1]),
            "quotes": [{"number": e.number, "date": e.date.isoformat(), "total": json_money(e.total),
                        "status": e.status,
                        "ordered_total": None if e.ordered_total is None else json_money(e.ordered_total)}
                       for e in entries],
            "accepted_total": json_money(accepted),
            "versions": [{**_version_view(v), "quote": v.quote, "recorded_by": v.recorded_by,
                          "recorded_at": moment(v.recorded_at)} for v in versions]}


def list_view(store: Store, today: datetime.date) -> dict:
    """`customer list --json`: each DoDAAC's record, with how many quotes it has and its accepted total."""
    by_dodaac: dict[str, list] = {}
    for e in store.entries(today=today):
        by_dodaac.setdefault(e.dodaac, []).append(e)
    found = []
    for v in sorted(store.customer_versions(latest=True), key=lambda v: (v.facility.casefold(), v.dodaac)):
        own = by_dodaac.get(v.dodaac, [])
        accepted = ordered_sum(own)
        found.append({**_version_view(v), "quote_count": len(own), "accepted_total": json_money(accepted),
                      "changed_at": moment(v.recorded_at), "changed_by": v.recorded_by})
    return {"customers": found}


def show_text(view: dict) -> str:
    """`customer show`: the record, its quotes and the accepted total, and how the record changed."""
    rows = [("Facility", view["facility"]), ("DoDAAC", view["dodaac"]), ("Ship to", view["ship_to"]),
            ("Bill to", view["bill_to"]), ("Mark for", view["mark_for"])]
    lines = [f"{label:9} {value}" for label, value in rows if value]
    for i, c in enumerate(view["contacts"]):
        lines.append(f"{'Contacts' if i == 0 else '':9} " + ", ".join(v for v in c.values() if v))
    quotes = view["quotes"]
    lines += ["", f"Quotes ({len(quotes)}), accepted {money(Decimal(view['accepted_total']))}:" if quotes
              else "No quotes yet."]
    if quotes:
        lines.append(text_table(["Number", "Date", "Total", "Status"],
                                [[q["number"], q["date"], money(amount_of(q["total"])), q["status"]] for q in quotes],
                                right={2}))
    lines += ["", "Changes:"]
    lines += [f"  {v['recorded_at']}  {v['recorded_by']}  " + (f"from quote {v['quote']}" if v["quote"] else
                                                                "customer set") for v in view["versions"]]
    return "\n".join(lines)


def list_text(view: dict) -> str:
    customers = view["customers"]
    if not customers:
        return ("No customers yet: `procure quote issue` adds each request's facility, `procure customer set` one "
                "by hand.")
    return text_table(["DoDAAC", "Facility", "Contact", "E-mail", "Quotes", "Accepted"],
                      [[c["dodaac"], c["facility"], (c["contacts"] or [{}])[0].get("name") or "",
                        (c["contacts"] or [{}])[0].get("email") or "", c["quote_count"],
                        money(Decimal(c["accepted_total"]))] for c in customers], right={4, 5})


def amount_of(text: str | None) -> Decimal | None:
    """A money string of these views as the amount a page or table formats."""
    return None if text is None else Decimal(text)


def due_text(store: Store, entries: list, today: datetime.date, until: datetime.date) -> str:
    """`quote due`: the quotes awaiting approval, then those whose validity ends from today to `until`, with whom
    to call about them."""
    from procure.register.facility_directory import contacts_of_quotes

    if not entries:
        return f"No quotes out with a customer expire from {today} to {until} or have changes requested."
    rows = []
    contacts = contacts_of_quotes(store, [(e.number, e.dodaac) for e in entries])
    for e in entries:
        contact = contacts[e.number]
        who = ", ".join(v for v in (contact.name, contact.email, contact.phone) if v) if contact else ""
        sent = ("awaiting approval" if e.status == AWAITING_APPROVAL else
                f"sent {e.sent_at:%Y-%m-%d}" if e.sent_at else "not sent") + (
            "; changes requested" if e.changes_requested else "")
        rows.append([e.valid_through, (e.valid_through - today).days, e.number, e.facility, who, money(e.total), sent])
    return text_table(["Valid through", "Days", "Number", "Facility", "Contact", "Total", "E-mail"], rows,
                      right={1, 5})
