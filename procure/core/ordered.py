"""What a delivery order covers of a quote: the quantity ordered of each quoted line (DOMAIN.md "Orders as
placed").

An order may cover part of a quote: fewer lines or smaller quantities, at the quoted unit prices. Lines are named
by their item number as the quote prints it (`0004`, or `4`) or by their part number; a line not named is ordered
as quoted, quantity 0 leaves it out, and more than quoted is refused. The ordered lines' total is what the
invoice (WAWF) may claim.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from procure.core.errors import InputError, RuleError
from procure.core.money import extended, format_money, total
from procure.core.record import Record
from procure.core.revision import QuotedLine


class OrderedLine(Record):
    """A quoted line with the quantity the order takes of it (0: left out)."""

    item: str
    """`0001`, `0002`, ...: the line's item number on the quote."""
    line: QuotedLine
    quantity: int

    @property
    def amount(self) -> Decimal:
        return extended(self.line.unit_price or Decimal("0.00"), self.quantity)


def item_number(index: int) -> str:
    """The item number of the quote's line at `index` (0 for the first): `0001`."""
    return f"{index + 1:04d}"


def numbered(lines: Iterable[QuotedLine]) -> list[tuple[str, QuotedLine]]:
    """Each quoted line with its item number, as an Accept form asks for its quantity."""
    return [(item_number(i), line) for i, line in enumerate(lines)]


def ordered_lines(lines: tuple[QuotedLine, ...], asked: Mapping[str, object] | None = None) -> tuple[OrderedLine, ...]:
    """Every quoted line with its ordered quantity: `asked` maps an item number (or part number) to a quantity
    (an int, or text as typed); lines not named are ordered as quoted. InputError naming each line that cannot
    be read (an unknown line, a quantity that is not a whole number), else RuleError for more than quoted or
    nothing at all ordered."""
    quantities = [line.quantity for line in lines]
    problems, beyond = [], []
    for key, value in (asked or {}).items():
        index = _index(lines, str(key).strip())
        if index is None:
            problems.append(f"line {str(key).strip()!r} is not a line of the quote: give its item number "
                            f"({', '.join(item_number(i) for i in range(len(lines)))}) or its part number")
            continue
        name = f"line {item_number(index)} ({lines[index].part})"
        quantity = _quantity(value)
        if not str(value).strip():
            problems.append(f"{name}: give the quantity ordered (0 leaves the line out)")
        elif quantity is None:
            problems.append(f"{name}: the quantity ordered {str(value).strip()!r} is not a whole number from 0 up")
        elif quantity > lines[index].quantity:
            beyond.append(f"{name}: {quantity} ordered is more than the {lines[index].quantity} quoted; an order "
                            f"cannot take more than the quote offers (revise the quote first)")
        else:
            quantities[index] = quantity
    if problems:
        raise InputError(problems + beyond)
    if beyond:
        raise RuleError(beyond)
    if not any(quantities):
        raise RuleError("every line's quantity ordered is 0: an order covers at least one line")
    return tuple(OrderedLine(item_number(i), line, quantity)
                 for i, (line, quantity) in enumerate(zip(lines, quantities, strict=True)))


def ordered_total(ordered: Iterable[OrderedLine]) -> Decimal:
    return total(o.amount for o in ordered)


def as_quoted(ordered: Iterable[OrderedLine]) -> bool:
    return all(o.quantity == o.line.quantity for o in ordered)


def left_out(ordered: Iterable[OrderedLine]) -> tuple[OrderedLine, ...]:
    """The lines the order does not take in full: left out, or fewer than quoted."""
    return tuple(o for o in ordered if o.quantity < o.line.quantity)


def check_amount(stated: Decimal | None, lines_total: Decimal, *, force: bool) -> str | None:
    """The note to record when the order states an amount other than its lines' total and `force` is given;
    RuleError naming both figures without `force`; None when they agree (or no amount is stated)."""
    if stated is None or stated == lines_total:
        return None
    said = (f"the order's amount {format_money(stated)} differs from the ordered lines' total "
            f"{format_money(lines_total)}")
    if not force:
        raise RuleError(f"{said}: check the quantities ordered against the delivery order, or give --force to "
                         f"record the difference as a note")
    return f"{said}; recorded as the order states it"


def _index(lines: tuple[QuotedLine, ...], key: str) -> int | None:
    if key.isdigit():
        index = int(key) - 1
        return index if 0 <= index < len(lines) else None
    parts = [i for i, line in enumerate(lines) if line.part.casefold() == key.casefold()]
    return parts[0] if len(parts) == 1 else None


def _quantity(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    text = str(value).strip().replace(",", "")
    return int(text) if text.isdigit() and len(text) <= 9 else None
