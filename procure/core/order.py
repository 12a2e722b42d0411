"""The Order: the one model every output reads. Renderers compute nothing of their own."""

from decimal import Decimal
from typing import NamedTuple

from procure.core.catalog import CatalogVersion
from procure.core.coding import CodingRow
from procure.core.findings import ERROR, OUTPUT_BLOCKERS, WARNING, Issue, as_output_blockers
from procure.core.planning import DerivationRow
from procure.core.prices import PriceList
from procure.core.pricing import OrderLine
from procure.core.quote import Quote
from procure.core.request import Request
from procure.core.revision import Revision


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
    revision: Revision | None = None
    """Set when the order revises an issued quote (see procure.core.revision)."""

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == WARNING)

    @property
    def renderable(self) -> bool:
        """True when outputs may be written: no error, every line priced, at least one line."""
        return not self.errors and not any(i.code in OUTPUT_BLOCKERS for i in self.issues)

    @property
    def output_issues(self) -> tuple[Issue, ...]:
        """The findings as `build` reports them: a missing price or an empty order is an error there."""
        return as_output_blockers(self.issues)
