"""After a quote is issued: accept it with its delivery order, correct that order, or void the quote.

Each is an appended record in one transaction, never an edit: `accept` appends
the `accepted` event and the order as the delivery order states it (PIID, order
date, amount, the lines and quantities it takes, the pay, issue-by, admin and
ship-to offices); `amend` appends a corrected
order (the history keeps both); `void` appends the `void` event, and voids an
accepted quote only when forced. Every record names who made it.
"""

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from procure.core.catalog import Catalog, Contract, piid_display
from procure.core.delivery_order import judge
from procure.core.errors import InputError, ProcureError, RuleError
from procure.core.money import parse_price
from procure.core.ordered import as_quoted, check_amount, ordered_lines, ordered_total
from procure.core.record import Record
from procure.core.request import DODAAC, NOT_A_DELIVERY_ORDER, delivery_order_piid
from procure.register.approval import released
from procure.register.issuing import find, issuer
from procure.register.records import (
    ACCEPTED,
    AWAITING_APPROVAL,
    EXPIRED,
    ISSUED,
    SUPERSEDED,
    VOID,
    Entry,
    Event,
    Placed,
)
from procure.register.store import Store
from procure.register.stored import utc_now


class Recorded(Record):
    """What `accept` or `amend` recorded, and what the desk should check (warnings, one sentence each)."""

    entry: Entry
    placed: Placed
    warnings: tuple[str, ...]


OFFICES = (("pay_dodaac", "--pay-dodaac"), ("issue_by", "--issue-by"), ("admin_by", "--admin-by"),
           ("ship_to", "--ship-to-dodaac"))
"""The offices a delivery order names (its ship-to too), as `Placed` fields and as options."""


def accept(store: Store, catalog: Catalog, number: str, delivery_order: str, *,
           order_date: datetime.date | None = None, amount: str | Decimal | None = None,
           ordered: Mapping[str, object] | None = None, force: bool = False, by: str | None = None,
           today: datetime.date | None = None, **given: str | None) -> Recorded:
    """Record that the government accepted revision `number` with delivery order `delivery_order` of `order_date`
    (default today). `ordered` maps a line's item number (or part) to the quantity ordered (lines not named: as
    quoted; see `core.ordered`); `amount`, the order's total as it states it, must equal the ordered lines' total
    unless `force`, which records the difference as a note. `given`: the offices `pay_dodaac`, `issue_by`,
    `admin_by` and the order's `ship_to`. The one place an acceptance is judged: the command line and the web
    call it alike."""
    today = today or datetime.date.today()
    piid, offices = _piid(delivery_order), _offices(given)
    stated = _amount(amount)
    order_date = order_date or today
    with store.writing():
        entry = _locked(store, number, today)
        warnings = _acceptable(store, entry, today)
        if order_date < entry.date:
            raise RuleError(f"--order-date {order_date} is before the quote date {entry.date}: an order placed on a "
                            f"quote comes after it; give the date on the delivery order")
        if order_date > today:
            raise RuleError(f"--order-date {order_date} is after today ({today}): give the date on the delivery order")
        lines = ordered_lines(store.issued(entry.number).lines, ordered)
        lines_total = ordered_total(lines)
        note = check_amount(stated, lines_total, force=force)
        warnings += _judged(piid, contract_of(store, catalog, entry), order_date)
        if note:
            warnings.append(note)
        who, now = issuer(by), utc_now()
        placed = Placed(number=entry.number, kind=ACCEPTED, delivery_order=piid, order_date=order_date,
                        amount=stated if stated is not None else lines_total, reason=None, recorded_by=who,
                        recorded_at=now, **{name: offices.get(name) for name, _ in OFFICES},
                        ordered=None if as_quoted(lines) else tuple(o.quantity for o in lines),
                        ordered_total=lines_total, note=note)
        store.add_event(Event(number=entry.number, kind=ACCEPTED, superseded_by=None, delivery_order=piid,
                              reason=None, recorded_by=who, recorded_at=now))
        store.add_order(placed)
    return Recorded(entry, placed, tuple(warnings))


def _acceptable(store: Store, entry: Entry, today: datetime.date) -> list[str]:
    """Inside the transaction: RuleError when revision `entry` cannot be accepted; the warnings when it can.
    A superseded revision can (ECAT orders cite the quote the officer had), with a warning naming the newest."""
    if entry.status not in (ISSUED, AWAITING_APPROVAL, EXPIRED, SUPERSEDED):
        raise RuleError(f"{entry.number} is {entry.status_text}: it cannot be accepted")
    released(store, entry, "accepted")
    if entry.practice:
        raise RuleError(f"{entry.number} is a practice quote (issued with --practice): it can never be "
                        f"accepted; issue the quote for real with the contract price list and your own profile")
    chain = store.entries(today=today, base=entry.base)
    taken = [e for e in chain if e.status == ACCEPTED]
    if taken:
        raise RuleError(f"{taken[0].number} of the same quote is already accepted (delivery order "
                        f"{piid_display(taken[0].delivery_order or '')}): one quote takes one order; to correct it, "
                        f"use `procure quote amend {taken[0].number}`")
    if entry.status != SUPERSEDED:
        return []
    newest = chain[0].number
    return [f"{entry.number} is superseded by {entry.superseded_by}; the order is recorded on {entry.number}, the "
            f"revision it was placed against, and the newest revision {newest} stays open: void {newest} if the "
            f"customer will not order it"]


def amend(store: Store, catalog: Catalog, number: str, delivery_order: str, reason: str, *, by: str | None = None,
          today: datetime.date | None = None, **given: str | None) -> Recorded:
    """Correct the delivery order of the accepted revision `number` (and any of its `offices` given), and say why;
    the earlier one stays on record."""
    today = today or datetime.date.today()
    piid, why, offices = _piid(delivery_order), _reason(reason, "why the delivery order is corrected"), _offices(given)
    with store.writing():
        entry = _locked(store, number, today)
        if entry.status != ACCEPTED:
            raise RuleError(f"{entry.number} is {entry.status_text}: only an accepted quote's delivery order can be "
                            f"amended (`procure quote accept` records the first one)")
        orders = store.orders(entry.number)
        last = orders[-1] if orders else None
        kept: dict[str, Any] = {name: offices.get(name) or (last and getattr(last, name)) for name, _ in OFFICES}
        if piid == entry.delivery_order and all(kept[name] == (last and getattr(last, name)) for name, _ in OFFICES):
            raise RuleError(f"{entry.number} already has delivery order {piid_display(piid)}: nothing to amend")
        order_date = last.order_date if last else accepted_on(entry)
        warnings = _judged(piid, contract_of(store, catalog, entry), order_date)
        placed = Placed(number=entry.number, kind="amended", delivery_order=piid, order_date=order_date,
                        amount=last.amount if last else entry.total, reason=why, recorded_by=issuer(by),
                        recorded_at=utc_now(), **kept, **_covered(last))
        store.add_order(placed)
    return Recorded(entry, placed, tuple(warnings))


def void(store: Store, number: str, reason: str, *, force: bool = False, by: str | None = None,
         today: datetime.date | None = None) -> Event:
    """Record that revision `number` is void, and why; an accepted one only with `force`."""
    today = today or datetime.date.today()
    why = _reason(reason, "why the quote is void")
    with store.writing():
        entry = _locked(store, number, today)
        if entry.status not in (ISSUED, AWAITING_APPROVAL, EXPIRED, ACCEPTED):
            raise RuleError(f"{entry.number} is {entry.status_text}: it cannot be marked void")
        if entry.status == ACCEPTED and not force:
            raise RuleError(f"{entry.number} is {entry.status_text}: voiding an accepted quote takes --force with "
                            f"--reason (to correct only the delivery order, use `procure quote amend`)")
        event = Event(number=entry.number, kind=VOID, superseded_by=None, delivery_order=None, reason=why,
                      recorded_by=issuer(by), recorded_at=utc_now())
        store.add_event(event)
    return event


def _covered(placed: Placed | None) -> dict[str, Any]:
    """What an order covers (its lines, their total, the note on it), as a correction of it repeats it."""
    if placed is None:
        return {}
    return {"ordered": placed.ordered, "ordered_total": placed.ordered_total, "note": placed.note}


def _locked(store: Store, number: str, today: datetime.date) -> Entry:
    """Inside the transaction: the revision `number`, held until it ends, and the quote's first revision with it
    (so that two desks accepting two revisions of one quote take turns)."""
    entry = find(store, number, today)
    store.lock(entry.base)
    store.lock(entry.number)
    return find(store, entry.number, today)


def contract_of(store: Store, catalog: Catalog, entry: Entry) -> Contract:
    """The contract the revision was quoted under: of the catalog version it was issued with, else of the one in
    force on its date."""
    try:
        return catalog.select(version=store.issued(entry.number).catalog_version).contract
    except ProcureError:
        return catalog.select(at=entry.date).contract


def accepted_on(entry: Entry) -> datetime.date:
    """The day the revision's last event was recorded (its acceptance, for an accepted one): the order date of
    an order accepted before order dates were recorded."""
    return entry.event.recorded_at.date() if entry.event else entry.date


def _judged(piid: str, contract: Contract, order_date: datetime.date) -> list[str]:
    """The warnings on delivery order `piid`; RuleError when it cannot be one under `contract`."""
    verdict = judge(piid, contract, order_date)
    if verdict.errors:
        raise RuleError(list(verdict.errors))
    return list(verdict.warnings)


def _piid(text: str) -> str:
    piid = delivery_order_piid(text.strip().upper())
    if piid is None:
        raise InputError(f"--delivery-order {text!r} is {NOT_A_DELIVERY_ORDER}")
    return piid


def _offices(given: dict) -> dict[str, str]:
    """The offices given (`pay_dodaac`, `issue_by`, `admin_by`, `ship_to`), upper case; InputError for one that is not a
    DoDAAC or not an office."""
    unknown = set(given) - {name for name, _ in OFFICES}
    if unknown:
        raise TypeError(f"unknown offices: {', '.join(sorted(unknown))}")
    found, problems = {}, []
    for name, option in OFFICES:
        text = given.get(name)
        if text is None or not text.strip():
            continue
        found[name] = text.strip().upper()
        if not re.fullmatch(DODAAC, found[name]):
            problems.append(f"{option} {text!r} is not a DoDAAC: 6 characters, A-Z and 0-9")
    if problems:
        raise InputError(problems)
    return found


def _amount(value: str | Decimal | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return parse_price(str(value))
    except ValueError as e:
        raise InputError(f"--amount: {str(e).replace('price ', 'amount ', 1)}; give dollars and cents such as "
                         f"3800.00") from None


def _reason(text: str | None, what: str) -> str:
    if not text or not text.strip():
        raise InputError(f"--reason must say {what}")
    return text.strip()
