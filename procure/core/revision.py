"""Revisions of a quote: what a revision says of the quote it supersedes, and the line changes.

A revision is issued under its base number with a suffix (`Q-2026-0001-R1`). Its
outputs say which revision it is and of what ("Revision 1 of Q-2026-0001,
supersedes the quote of 2026-11-27") and list the changes from the previous
revision: lines added and removed, quantity and price changes, the total before
and after. `QuotedLine` is a line as a register keeps it, so that two quotes
can be compared without rebuilding either.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from procure.core.pricing import OrderLine
from procure.core.record import Record

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


class QuotedLine(Record):
    """A quoted line, as issued."""

    part: str
    description: str
    unit_of_issue: str
    quantity: int
    unit_price: Decimal | None
    extended_price: Decimal | None


class LineChange(Record):
    """One part whose line was added, removed, or changed in quantity or price."""

    part: str
    description: str
    change: str
    """`added`, `removed` or `changed`."""
    quantity_before: int | None
    quantity_after: int | None
    unit_price_before: Decimal | None
    unit_price_after: Decimal | None
    extended_before: Decimal | None
    extended_after: Decimal | None


class Revision(Record):
    """What a revised quote says of the quote it supersedes."""

    base: str
    """The number of the original quote, `Q-2026-0001`."""
    number: int
    """1 for the first revision."""
    supersedes: str
    """The number of the revision it replaces (the base number for revision 1)."""
    superseded_date: datetime.date
    """The quote date of the revision it replaces."""
    reason: str | None
    changes: tuple[LineChange, ...]
    total_before: Decimal | None
    total_after: Decimal | None

    @property
    def statement(self) -> str:
        """`Revision 1 of Q-2026-0001, supersedes the quote of 2026-11-27`: what every output says."""
        return f"Revision {self.number} of {self.base}, supersedes the quote of {self.superseded_date}"


def quoted_lines(lines: tuple[OrderLine, ...]) -> tuple[QuotedLine, ...]:
    """Order lines as a register keeps them."""
    return tuple(QuotedLine(part=line.part.part, description=line.part.description,
                            unit_of_issue=line.part.unit_of_issue, quantity=line.quantity,
                            unit_price=line.unit_price, extended_price=line.extended_price) for line in lines)


def compare_lines(before: Iterable[QuotedLine], after: Iterable[QuotedLine]) -> tuple[LineChange, ...]:
    """The changes from the lines `before` to the lines `after`, one per part, in the order parts appear."""
    old = {line.part: line for line in before}
    new = {line.part: line for line in after}
    changes = []
    for part in dict.fromkeys([*new, *old]):
        a, b = old.get(part), new.get(part)
        if a is not None and b is not None and (a.quantity, a.unit_price) == (b.quantity, b.unit_price):
            continue
        change = ADDED if a is None else REMOVED if b is None else CHANGED
        changes.append(LineChange(
            part=part, description=(b or old[part]).description, change=change,
            quantity_before=a and a.quantity, quantity_after=b and b.quantity,
            unit_price_before=a and a.unit_price, unit_price_after=b and b.unit_price,
            extended_before=a and a.extended_price, extended_after=b and b.extended_price))
    return tuple(changes)
