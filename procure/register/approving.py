"""Approve or reject a quote held for approval (`approval`): each an appended record in one transaction.

`approve` releases the quote (status `issued` again, approval `approved`); `reject`
voids it with the reason. The approver is never the user who issued the quote
(four eyes): `--by` (else the login name) is checked against `issued_by`.
"""

import datetime

from procure.core.errors import InputError, RuleError
from procure.register.contract_records import APPROVED, AWAITING, REJECTED, Approval
from procure.register.issuing import find, issuer
from procure.register.records import SUPERSEDED, VOID, Entry, Event
from procure.register.store import Store
from procure.register.stored import utc_now


def approve(store: Store, number: str, *, by: str | None = None, today: datetime.date | None = None) -> Entry:
    """Approve revision `number`: it may go to the customer. Refused for the user who issued it."""
    today = today or datetime.date.today()
    who = issuer(by)
    with store.writing():
        entry = _awaiting(store, number, today, who)
        store.add_approval(Approval(entry.number, APPROVED, (), None, who, utc_now()))
    return find(store, entry.number, today)


def reject(store: Store, number: str, reason: str, *, by: str | None = None,
           today: datetime.date | None = None) -> Entry:
    """Reject revision `number`: it becomes void with `reason`. Refused for the user who issued it."""
    today = today or datetime.date.today()
    if not reason or not reason.strip():
        raise InputError("--reason must say why the quote is rejected")
    who, why, now = issuer(by), reason.strip(), utc_now()
    with store.writing():
        entry = _awaiting(store, number, today, who)
        store.add_approval(Approval(entry.number, REJECTED, (), why, who, now))
        store.add_event(Event(number=entry.number, kind=VOID, superseded_by=None, delivery_order=None,
                              reason=why, recorded_by=who, recorded_at=now))
    return find(store, entry.number, today)


def _awaiting(store: Store, number: str, today: datetime.date, who: str) -> Entry:
    """Inside the transaction: revision `number`, held until it ends; RuleError unless it awaits approval by
    someone other than `who`."""
    entry = find(store, number, today)
    store.lock(entry.number)
    entry = find(store, entry.number, today)
    if entry.approval != AWAITING or entry.status in (VOID, SUPERSEDED):
        state = "already approved" if entry.approval == APPROVED and entry.status != VOID else entry.status_text
        raise RuleError(f"{entry.number} is {state}: only a quote awaiting approval can be approved or rejected")
    if who.casefold() == entry.issued_by.casefold():
        raise RuleError(f"{entry.number} was issued by {entry.issued_by}: the approver must be someone else "
                        f"(four eyes); give --by with the approver's name, or ask an approver")
    return entry
