"""The WAWF data of an accepted quote, from what the register holds (`procure quote wawf`, and the desk later).

The lines are the stored quote's lines; the contract is the one the quote was
issued under; the delivery order, its date and the offices are those in force
(the last recorded by `accept` or `amend`); the CAGE is the stored profile's;
the ship-to DoDAAC is the customer's. A quote that is not accepted has no
WAWF data.
"""

import datetime

from procure.core.catalog import Catalog
from procure.core.errors import ProcureError, RuleError
from procure.core.profile import read_profile
from procure.core.wawf import WawfSheet, wawf_sheet
from procure.register.issuing import find
from procure.register.ordering import accepted_on, contract_of
from procure.register.store import ACCEPTED, Issued, Store


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
                      pay_dodaac=placed and placed.pay_dodaac, ship_to=entry.dodaac, lines=issued.lines)


def _cage(issued: Issued) -> str | None:
    """The vendor CAGE of the profile the quote was issued with, if it had one."""
    if issued.profile_bytes is None:
        return None
    try:
        return read_profile(text=issued.profile_bytes.decode("utf-8"), name=issued.profile_name).vendor.cage
    except (ProcureError, UnicodeDecodeError):
        return None
