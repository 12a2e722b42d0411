"""What is due on the desk: the open quotes someone should act on, each with the reasons it is due.

A quote is due when one of `REASONS` says so: it awaits an approver, its
customer asked for changes, it expires within the days asked for, or it was
never sent (by the desk's Send, `procure quote send`, or marked as sent from a
mail program). Each reason is a function of the quote as listed today. Quotes
awaiting approval come first, then the soonest to expire.
"""

import datetime
from collections.abc import Callable

from procure.core.record import Record
from procure.register.records import AWAITING_APPROVAL, ISSUED, Entry
from procure.register.store import Store


class Due(Record):
    entry: Entry
    reasons: tuple[str, ...]


def awaiting(entry: Entry, today: datetime.date, until: datetime.date) -> str | None:
    return "awaiting approval" if entry.status == AWAITING_APPROVAL else None


def changes_requested(entry: Entry, today: datetime.date, until: datetime.date) -> str | None:
    return "changes requested" if entry.changes_requested else None


def expiring(entry: Entry, today: datetime.date, until: datetime.date) -> str | None:
    if not today <= entry.valid_through <= until:
        return None
    days = (entry.valid_through - today).days
    return "expires today" if days == 0 else f"expires in {days} day{'' if days == 1 else 's'}"


def not_sent(entry: Entry, today: datetime.date, until: datetime.date) -> str | None:
    return None if entry.sent_at is not None or entry.practice else "not sent"


REASONS: list[Callable[[Entry, datetime.date, datetime.date], str | None]] = [awaiting, changes_requested, expiring,
                                                                          not_sent]
"""Why an open quote is due, in the order the reasons are shown."""


def due(store: Store, today: datetime.date, within: int) -> list[Due]:
    """The open quotes with a reason to act on them: those awaiting approval first, then the soonest to expire."""
    until = today + datetime.timedelta(days=within)
    found = []
    open_quotes = store.entries(today=today, status=AWAITING_APPROVAL) + store.entries(today=today, status=ISSUED)
    for entry in sorted(open_quotes, key=lambda e: (e.status != AWAITING_APPROVAL, e.valid_through, e.number)):
        reasons = tuple(r for r in (reason(entry, today, until) for reason in REASONS) if r)
        if reasons:
            found.append(Due(entry, reasons))
    return found
