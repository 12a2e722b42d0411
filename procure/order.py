"""The Order: the one model every output reads. Renderers compute nothing of their own."""

import datetime
from decimal import Decimal
from typing import NamedTuple

from procure.catalog import CatalogVersion, Part
from procure.prices import PriceList
from procure.request import Request

ERROR, WARNING = "error", "warning"


class Issue(NamedTuple):
    """A finding: something the user should fix (error) or know (warning)."""

    severity: str
    code: str
    """One of the finding codes of DESIGN.md section 3."""
    message: str
    """What is wrong and what to do about it."""
    subject: str
    """The part number, nerve code, treatment or file the finding is about."""
    source: str = ""
    """Where in the request, such as `request.toml:14`, when known."""


class Quote(NamedTuple):
    number: str
    date: datetime.date
    valid_through: datetime.date
    """The last day the quote is valid, to the end of that day."""
    valid_days: int


class OrderLine(NamedTuple):
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


class DerivationRow(NamedTuple):
    """One step of the quantity derivation: a treatment's share of a consumable, or its total."""

    treatment: str
    consumable: str
    procedures: int | None
    per_procedure: int | None
    units: int
    spare: int | None = None
    stock: int | None = None
    net: int | None = None
    packs: str = ""
    """`1 x CRX0111-20 + 1 x CRX0111-10`; on total and explicit rows only."""
    is_total: bool = False


class CodingRow(NamedTuple):
    """The coding estimate of one CPT code for one treatment; fees only when a site is named."""

    treatment: str
    cpt: str
    description: str
    nerves: tuple[str, ...]
    units: int
    """Per procedure."""
    procedures: int
    site: str | None = None
    site_label: str | None = None
    unit_fee: Decimal | None = None
    fee_per_procedure: Decimal | None = None
    total: Decimal | None = None


class Order(NamedTuple):
    request: Request
    catalog: CatalogVersion
    """The version in use, with the price list applied."""
    price_list: PriceList | None
    quote: Quote
    lines: tuple[OrderLine, ...]
    total: Decimal | None
    """The sum of the extended prices; None when a line has no price."""
    derivation: tuple[DerivationRow, ...]
    issues: tuple[Issue, ...]
    """Errors first."""
    coding: tuple[CodingRow, ...]
    coding_total: Decimal | None
    assumptions: tuple[str, ...]
    """The planning assumptions this order relied on, with their basis, for the outputs to print."""

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == WARNING)
