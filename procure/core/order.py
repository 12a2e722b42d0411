"""The Order: the one model every output reads. Renderers compute nothing of their own."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from procure.core.catalog import PRODUCT_FIELDS, Assumption, CatalogVersion
from procure.core.coding import CodingRow
from procure.core.findings import CUSTOMER, ERROR, OUTPUT_BLOCKERS, WARNING, Finding, as_output_blockers
from procure.core.planning import DerivationRow
from procure.core.prices import PriceList
from procure.core.pricing import OrderLine
from procure.core.profile import Profile
from procure.core.quote import Quote
from procure.core.record import Record
from procure.core.request import Request
from procure.core.revision import QuotedLine, Revision, compare_lines, quoted_lines
from procure.core.wawf import IUID_THRESHOLD

PRACTICE = ("PRACTICE", "PRACTICE QUOTE - NOT AN OFFER, NEVER TO BE ORDERED")
"""The stamp of a practice quote (the register's `quote issue --practice`)."""


class Order(Record):
    request: Request
    catalog: CatalogVersion
    """The version in use, with the price list applied."""
    price_list: PriceList | None
    quote: Quote
    lines: tuple[OrderLine, ...]
    total: Decimal | None
    """The sum of the extended prices; None when a line has no price."""
    derivation: tuple[DerivationRow, ...]
    findings: tuple[Finding, ...]
    """Errors first."""
    coding: tuple[CodingRow, ...]
    coding_total: Decimal | None
    assumptions: tuple[Assumption, ...]
    """The planning assumptions this order relied on: customer documents print their statements, the preparer's
    views their basis too."""
    profile: Profile | None = None
    """Who the quote is from and who prepared it; None when no profile was found."""
    revision: Revision | None = None
    """Set when the order revises an issued quote (see procure.core.revision)."""
    practice: bool = False
    """A practice quote (the register's `quote issue --practice`): every page says PRACTICE."""

    def revised(self, *, base: str, number: int, supersedes: str, superseded_date: datetime.date,
                previous_lines: Iterable[QuotedLine], previous_total: Decimal | None,
                reason: str | None = None) -> "Order":
        """The order as revision `number` of `base`, with its changes from the revision it supersedes."""
        revision = Revision(base=base, number=number, supersedes=supersedes, superseded_date=superseded_date,
                            reason=reason, changes=compare_lines(previous_lines, quoted_lines(self.lines)),
                            total_before=previous_total, total_after=self.total)
        return self._replace(revision=revision)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(i for i in self.findings if i.severity == ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(i for i in self.findings if i.severity == WARNING)

    @property
    def iuid_lines(self) -> tuple[OrderLine, ...]:
        """The lines whose unit price is at or above the DFARS 252.211-7003 threshold: their items carry unique
        item identification, which the quote says so that the officer is not surprised in WAWF."""
        return tuple(line for line in self.lines if line.unit_price is not None and line.unit_price >= IUID_THRESHOLD)

    @property
    def customer_findings(self) -> tuple[Finding, ...]:
        """The findings printed on the customer's copy."""
        return tuple(i for i in self.findings if i.audience == CUSTOMER)

    @property
    def product_data(self) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str | None, ...]], ...]]:
        """The product data of the quoted parts where any is known: (the PRODUCT_FIELDS keys some part has,
        then one row a part with data: its number and its value of each key, None where unknown)."""
        parts = [line.part for line in self.lines if line.part.product]
        keys = tuple(k for k in PRODUCT_FIELDS if any(k in p.product for p in parts))
        rows = tuple((p.part, tuple(p.product[k].value if k in p.product else None for k in keys)) for p in parts)
        return keys, rows

    @property
    def stamp(self) -> tuple[str, str] | None:
        """A practice quote's stamp: a word across every page and a line at its top (PDF), a banner (HTML)."""
        return PRACTICE if self.practice else None

    @property
    def watermark(self) -> tuple[str, ...]:
        """The words every page of a customer document is marked with (first line large), or none."""
        if self.price_list and self.price_list.illustrative:
            return ("ILLUSTRATIVE PRICES", "not contract prices")
        return ()

    @property
    def customer_assumptions(self) -> tuple[str, ...]:
        """The sentences the customer reads about what the quantities assume, each once."""
        return tuple(dict.fromkeys(a.statement for a in self.assumptions if a.statement))

    @property
    def vendor_name(self) -> str:
        """The profile's vendor name, else the contract's."""
        return (self.profile and self.profile.vendor.name) or self.catalog.contract.vendor

    @property
    def renderable(self) -> bool:
        """True when outputs may be written: no error, every line priced, at least one line."""
        return not self.errors and not any(i.code in OUTPUT_BLOCKERS for i in self.findings)

    @property
    def output_findings(self) -> tuple[Finding, ...]:
        """The findings as `build` reports them: a missing price or an empty order is an error there."""
        return as_output_blockers(self.findings)
