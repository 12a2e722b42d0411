"""The data a vendor keys into WAWF to invoice an accepted order: a header, its lines, and which need IUID.

Supplies accepted at destination are invoiced with the Invoice and Receiving
Report ("Combo"). It needs the contract and delivery order, the vendor's CAGE,
the issue-by, admin, pay-office and ship-to DoDAACs, the inspection and
acceptance point, and per line the item number, part, description, quantity,
unit of issue, unit price and amount; an item whose unit price is at or above
the DFARS 252.211-7003 threshold needs unique item identification (IUID).
The lines are those the delivery order takes, not the quote's (DOMAIN.md
"Orders as placed"), and the ship-to is the order's.
What is not known yet (the offices come on the delivery order) stays blank and
is named in `missing`.
"""

import datetime
from decimal import Decimal

from procure.core.catalog import piid_display
from procure.core.money import total
from procure.core.ordered import OrderedLine
from procure.core.record import Record

IUID_THRESHOLD = Decimal("5000.00")
"""DFARS 252.211-7003: items with a unit acquisition cost of $5,000 or more need unique item identification."""
DOCUMENT_TYPE = "Invoice and Receiving Report (Combo)"
DESTINATION = "Destination"
CSV_HEADER = ("item", "part", "description", "quantity", "unit_of_issue", "unit_price", "amount", "iuid")


class WawfLine(Record):
    item: str
    """`0001`, `0002`, ...: the line item number."""
    part: str
    description: str
    quantity: int
    unit_of_issue: str
    unit_price: Decimal
    amount: Decimal
    iuid: bool


class WawfSheet(Record):
    quote: str
    """The quote number the order accepted."""
    contract: str
    """`SPE2DE-21-D-7004`."""
    delivery_order: str
    """`SPE2DE-27-F-0042`."""
    order_date: datetime.date
    cage: str | None
    issue_by: str | None
    admin_by: str | None
    pay_dodaac: str | None
    ship_to: str
    lines: tuple[WawfLine, ...]
    document_type: str = DOCUMENT_TYPE
    inspection: str = DESTINATION
    acceptance: str = DESTINATION

    @property
    def total(self) -> Decimal:
        return total(line.amount for line in self.lines)

    @property
    def header(self) -> tuple[tuple[str, str | None], ...]:
        """The header block, label and value (None when not known yet), in the order WAWF asks for them."""
        return (("Contract number", self.contract), ("Delivery order", self.delivery_order),
                ("Order date", self.order_date.isoformat()), ("Vendor CAGE", self.cage),
                ("Document type", self.document_type), ("Issue-by DoDAAC", self.issue_by),
                ("Admin DoDAAC", self.admin_by), ("Pay office DoDAAC", self.pay_dodaac),
                ("Ship-to DoDAAC", self.ship_to), ("Inspection point", self.inspection),
                ("Acceptance point", self.acceptance))

    @property
    def missing(self) -> tuple[str, ...]:
        """The header entries not known yet."""
        return tuple(label for label, value in self.header if not value)


def wawf_sheet(*, quote: str, contract_piid: str, delivery_order: str, order_date: datetime.date,
               cage: str | None, issue_by: str | None, admin_by: str | None, pay_dodaac: str | None, ship_to: str,
               lines: tuple[OrderedLine, ...]) -> WawfSheet:
    """The sheet of an accepted quote: the lines the order takes, in the quantities it takes them, under the
    quote's item numbers (an invoice of a line not ordered is improper); PIIDs without dashes. Every line has a
    price (an issued quote's lines do)."""
    return WawfSheet(
        quote=quote, contract=piid_display(contract_piid), delivery_order=piid_display(delivery_order),
        order_date=order_date, cage=cage, issue_by=issue_by, admin_by=admin_by, pay_dodaac=pay_dodaac,
        ship_to=ship_to,
        lines=tuple(_line(o) for o in lines if o.quantity))


def _line(ordered: OrderedLine) -> WawfLine:
    line = ordered.line
    if line.unit_price is None:
        raise ValueError(f"{line.part} has no price: every line of an issued quote has one")
    return WawfLine(item=ordered.item, part=line.part, description=line.description, quantity=ordered.quantity,
                    unit_of_issue=line.unit_of_issue, unit_price=line.unit_price, amount=ordered.amount,
                    iuid=line.unit_price >= IUID_THRESHOLD)
