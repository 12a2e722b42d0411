"""The WAWF data of an accepted quote, from what the register holds (`procure quote wawf`, and the desk later).

The lines are the stored quote's lines in the quantities the order takes; the
contract is the one the quote was issued under; the delivery order, its date,
the offices and the ship-to are those in force (the last recorded by `accept`
or `amend`); the CAGE is the stored profile's; the ship-to DoDAAC is the
customer's unless the order names another. A quote that is not accepted has no
WAWF data.
"""

import datetime

from procure.core.catalog import Catalog
from procure.core.errors import ProcureError, RuleError
from procure.core.ordered import OrderedLine, item_number
from procure.core.profile import read_profile
from procure.core.wawf import WawfSheet, wawf_sheet
from procure.register.issuing import find
from procure.register.ordering import accepted_on, contract_of
from procure.register.records import ACCEPTED, Issued, Placed
from procure.register.store import Store


def wawf_of(store: Store, catalog: Catalog, number: str, today: datetime.date | None = None) -> WawfSheet:
    """The WAWF data of the accepted revision `number`; RuleError when it is not accepted."""
    entry = find(store, number, today or datetime.date.today())
    if entry.status != ACCEPTED:
        raise RuleError(f"{entry.number} is {entry.status_text}, not accepted: WAWF data exists only for an "
                        f"accepted quote (`procure quote accept {entry.number} --delivery-order PIID`)")
    issued = store.issued(entry.number)
    orders = store.orders(entry.number)
    placed = orders[-1] if orders else None
    if entry.delivery_order is None:  # an accepted revision has one
        raise RuleError(f"{entry.number}: the register holds no accepted order for it")
    return wawf_sheet(quote=entry.number, contract_piid=contract_of(store, catalog, entry).number,
                      delivery_order=entry.delivery_order,
                      order_date=placed.order_date if placed else accepted_on(entry),
                      cage=_cage(issued), issue_by=placed and placed.issue_by, admin_by=placed and placed.admin_by,
                      pay_dodaac=placed and placed.pay_dodaac, ship_to=(placed and placed.ship_to) or entry.dodaac,
                      lines=order_lines(issued, placed))


def order_lines(issued: Issued, placed: Placed | None) -> tuple[OrderedLine, ...]:
    """Every line of the issued revision with the quantity the order in force takes of it (as quoted when the
    order took every line, or was recorded before orders named lines)."""
    if placed is None or placed.ordered is None:
        return tuple(OrderedLine(item_number(i), line, line.quantity) for i, line in enumerate(issued.lines))
    return tuple(OrderedLine(item_number(i), line, quantity)
                 for i, (line, quantity) in enumerate(zip(issued.lines, placed.ordered, strict=True)))


def _cage(issued: Issued) -> str | None:
    """The vendor CAGE of the profile the quote was issued with, if it had one."""
    if issued.profile_bytes is None:
        return None
    try:
        return read_profile(text=issued.profile_bytes.decode("utf-8"), name=issued.profile_name).vendor.cage
    except (ProcureError, UnicodeDecodeError):
        return None
