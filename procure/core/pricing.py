"""Order lines: planned and explicit packs per part, priced from the catalog version in use."""

from decimal import Decimal

from procure.core.catalog import CatalogVersion, Part
from procure.core.money import extended, total
from procure.core.record import Record
from procure.core.request import Request


class OrderLine(Record):
    line: str
    """`0001`, `0002`, ..."""
    part: Part
    quantity: int
    """In units of issue (packs)."""
    planned: int
    """Packs that come from the treatment plan."""
    explicit: int
    """Packs that come from explicit [[line]] entries."""
    unit_price: Decimal | None
    extended_price: Decimal | None


def order_lines(request: Request, version: CatalogVersion, planned: dict[str, int]) -> tuple[OrderLine, ...]:
    """One line per part with a quantity, in catalog order; explicit lines add to planned ones of the part."""
    explicit: dict[str, int] = {}
    for line in request.lines:
        if version.part(line.part):
            explicit[line.part] = explicit.get(line.part, 0) + line.quantity
    lines: list[OrderLine] = []
    for part in version.parts:
        quantity = planned.get(part.part, 0) + explicit.get(part.part, 0)
        if quantity:
            price = part.unit_price
            lines.append(OrderLine(line=f"{len(lines) + 1:04d}", part=part, quantity=quantity,
                                   planned=planned.get(part.part, 0), explicit=explicit.get(part.part, 0),
                                   unit_price=price,
                                   extended_price=extended(price, quantity) if price is not None else None))
    return tuple(lines)


def order_total(lines: tuple[OrderLine, ...]) -> Decimal | None:
    """The sum of the extended prices; None when there are no lines or a line has no price."""
    priced = [line.extended_price for line in lines if line.extended_price is not None]
    if not lines or len(priced) < len(lines):
        return None
    amount = total(priced)
    assert amount == sum(priced), "the order total is not the sum of its lines"
    return amount
