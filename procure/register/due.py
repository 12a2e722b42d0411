"""What is due on the desk: the open quotes someone should act on, each with the reasons it is due.

A quote is due when one of `REASONS` says so: it expires within the days asked
for, or it was never sent (by the desk's Send, `procure quote send`, or marked as
sent from a mail program). Each reason is a function of the quote as listed
today, so a reason another part of the desk knows of (changes a customer asked
for, a quote awaiting approval) is one more function in `REASONS`.
"""

import datetime
from collections.abc import Callable

from procure.core.record import Record
from procure.register.store import ISSUED, Entry, Store


class Due(Record):
    entry: Entry
    reasons: tuple[str, ...]


def expiring(entry: Entry, today: datetime.date, until: datetime.date) -> str | None:
    if not today <= entry.valid_through <= until:
        return None
    days = (entry.valid_through - today).days
    return "expires today" if days == 0 else f"expires in {days} day{'' if days == 1 else 's'}"


def not_sent(entry: Entry, today: datetime.date, until: datetime.date) -> str | None:
    return None if entry.sent_at is not None or entry.practice else "not sent"


REASONS: list[Callable[[Entry, datetime.date, datetime.date], str | None]] = [expiring, not_sent]
"""Why an open quote is due, in the order the reasons are shown."""


def due(store: Store, today: datetime.date, within: int) -> list[Due]:
    """The open quotes with a reason to act on them, the soonest to expire first."""
    until = today + datetime.timedelta(days=within)
    found = []
    for entry in sorted(store.entries(today=today, status=ISSUED), key=lambda e: (e.valid_through, e.number)):
        reasons = tuple(r for r in (reason(entry, today, until) for reason in REASONS) if r)
        if reasons:
            found.append(Due(entry, reasons))
    return found
