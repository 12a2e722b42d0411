"""The catalog: versioned snapshots of the parts, rules and fees of one contract.

Each version is one complete `CatalogVersion` with an `effective` date; `Catalog.select` picks the version in
force on a date or a pinned one. Reading and checking the version files is `catalog_reader.py`.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from procure.core.errors import InputError, NotInForce
from procure.core.record import Record

GENERATIONS = (1, 2)
KINDS = ("handpiece", "smart_tip", "cartridge")
RATE_COLUMNS = ("asc", "hopd", "pfs_nonfacility", "pfs_facility")
UNIT_RULES = ("per_nerve", "per_set")

Consumable = tuple[int, str, str | None, bool]
"""(generation, kind, tip model, nerve stimulation): the parts with the same one are packs of one unit."""


def piid_display(piid: str) -> str:
    """A PIID as it is shown: `SPE2DE21D7004` as `SPE2DE-21-D-7004`."""
    return f"{piid[:6]}-{piid[6:8]}-{piid[8]}-{piid[9:]}"


class Specs(Record):
    """Structured facts about a part, apart from its contract description."""

    tip_model: str | None = None
    needles: int | None = None
    needle_length_mm: Decimal | None = None
    gauge: int | None = None
    nerve_stim: bool | None = None
    note: str | None = None


PRODUCT_FIELDS = {"udi_di": "UDI-DI (GTIN)", "nsn": "NSN", "country_of_origin": "Country of origin",
                  "shelf_life_months": "Shelf life (months)", "warranty": "Warranty",
                  "hazmat": "Hazmat (UN number, class, shipping name)", "sds_url": "Safety data sheet"}
"""The product data a part may carry, with the label outputs show it under."""


class Fact(Record):
    """One piece of product data and where it comes from."""

    value: str
    """As outputs show it: `00812345678901`, `6515-01-234-5678`, `UN1070, class 2.2, Nitrous oxide`."""
    basis: str
    detail: tuple[tuple[str, str], ...] = ()
    """The parts of a structured value (the UN number, class and shipping name of `hazmat`)."""


class Part(Record):
    part: str
    generation: int
    kind: str
    description: str
    """Exactly as the contract words it."""
    unit_of_issue: str
    units_per_pack: int
    specs: Specs = Specs()
    unit_price: Decimal | None = None
    """Set only when a price list is applied."""
    product: Mapping[str, Fact] = MappingProxyType({})
    """Product data by PRODUCT_FIELDS key, each with its basis; a value no source states is absent."""

    @property
    def unknown_product_data(self) -> tuple[str, ...]:
        """The PRODUCT_FIELDS keys this part has no value for."""
        return tuple(key for key in PRODUCT_FIELDS if key not in self.product)

    @property
    def consumable(self) -> Consumable | None:
        """Parts with the same key are packs of one interchangeable unit; None for a handpiece."""
        if self.kind == "handpiece":
            return None
        return (self.generation, self.kind, self.specs.tip_model, bool(self.specs.nerve_stim))

    @property
    def unit_name(self) -> str:
        """What one unit of this consumable is called: `Gen 2 309 Smart Tip`, `Gen 1 cartridge`."""
        if self.kind == "smart_tip":
            stim = " nerve-stim" if self.specs.nerve_stim else ""
            return f"Gen {self.generation} {self.specs.tip_model}{stim} Smart Tip"
        return f"Gen {self.generation} {self.kind.replace('_', ' ')}"


class Compatibility(Record):
    handpiece: str
    accepts: tuple[str, ...]
    reason: str
    assumption: bool
    basis: str


class Prerequisite(Record):
    part: str
    code: str
    """The finding code of the warning an order with this part carries."""
    requires: str
    basis: str


class NerveTarget(Record):
    code: str
    name: str
    region: str
    tip_model: str
    cpt: str


class Assumption(Record):
    """A planning or compatibility assumption in the two voices it is told in."""

    statement: str
    """What the customer reads: what the quantities assume, in plain words."""
    basis: str
    """Where the fact comes from, or that no public source states it: for the preparer, never the customer."""


class Planning(Record):
    tips_per_procedure: dict[str, int]
    tips_basis: dict[str, str]
    tip_model_basis: str
    cartridges_per_procedure: int
    cartridges_basis: str
    default_nerves: tuple[str, ...]
    default_nerves_basis: str
    tips_statement: Mapping[str, str] = MappingProxyType({})
    tip_model_statement: str = ""
    cartridges_statement: str = ""
    default_nerves_statement: str = ""

    def nerves(self, named: tuple[str, ...]) -> tuple[str, ...]:
        """The nerves a treatment names, or the default set when it names none."""
        return named or self.default_nerves


class FeeCode(Record):
    cpt: str
    description: str
    apc: str
    apc_name: str
    rates: dict[str, Decimal]
    """Fee per unit by rate column (asc, hopd, pfs_nonfacility, pfs_facility)."""
    rvu_nonfacility: Decimal
    rvu_facility: Decimal
    units: str
    """`per_nerve` (one unit a nerve, up to max_units) or `per_set` (one unit for the set)."""
    max_units: int | None
    set: tuple[str, ...]
    rule: str


class Site(Record):
    name: str
    column: str
    label: str


class Fees(Record):
    as_of: datetime.date
    source: str
    conversion_factor: Decimal
    disclaimers: tuple[str, ...]
    sites: dict[str, Site]
    codes: dict[str, FeeCode]


class Contract(Record):
    number: str
    """The PIID without hyphens."""
    agency: str
    program: str
    vendor: str
    manufacturer: str
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    modification: str | None = None
    ordering_office: str | None = None
    """The DoDAAC of the office that issues delivery orders under the contract, when the catalog says."""
    ordering_office_basis: str = ""

    @property
    def display_number(self) -> str:
        """`SPE2DE-21-D-7004`."""
        return piid_display(self.number)

    @property
    def fiscal_year(self) -> int:
        """The fiscal year of award, from positions 7-8 of the PIID: 2021 for SPE2DE-21-D-7004."""
        return 2000 + int(self.number[6:8])

    @property
    def office(self) -> str:
        """The office expected on its delivery orders: `ordering_office`, else the contracting office (positions
        1-6 of the contract's PIID), an assumption: which office issues ECAT orders is not public."""
        return self.ordering_office or self.number[:6]


class Delivery(Record):
    """How the vendor delivers under the contract: the lead time and the freight terms, with their basis."""

    lead_time_days: int | None = None
    """Days after receipt of order; None when the catalog does not say."""
    terms: str = "F.o.b. destination, freight included"
    basis: str = ""
    assumption: bool = True

    @property
    def statement(self) -> str:
        """`Delivery within 30 days after receipt of order, F.o.b. destination, freight included`: what quotes say."""
        if self.lead_time_days is None:
            return self.terms
        return f"Delivery within {self.lead_time_days} days after receipt of order, {self.terms}"


class CatalogVersion(Record):
    """One complete snapshot of the catalog of a contract."""

    file: str
    version: str
    effective: datetime.date
    digest: str
    """`sha256:` and the hex digest of the file's bytes."""
    basis: str
    contract: Contract
    parts: tuple[Part, ...]
    compatibility: tuple[Compatibility, ...]
    prerequisites: tuple[Prerequisite, ...]
    targets: dict[str, NerveTarget]
    planning: Planning
    fees: Fees
    delivery: Delivery = Delivery()

    @property
    def short_digest(self) -> str:
        return self.digest.removeprefix("sha256:")[:12]

    def part(self, number: str) -> Part | None:
        return next((p for p in self.parts if p.part == number), None)

    def accepting_handpieces(self, number: str) -> tuple[str, ...]:
        """The handpieces that accept a tip or cartridge, from the compatibility table."""
        return tuple(c.handpiece for c in self.compatibility if number in c.accepts)

    def compatible_with(self, number: str) -> tuple[Compatibility, ...]:
        """The compatibility rows that name a part, as handpiece or as accepted part."""
        return tuple(c for c in self.compatibility if number == c.handpiece or number in c.accepts)

    def packs_of(self, consumable: Consumable) -> tuple[Part, ...]:
        """Every part that is a pack of one consumable, in catalog order."""
        return tuple(p for p in self.parts if p.consumable == consumable)

    def with_prices(self, prices: dict[str, Decimal]) -> "CatalogVersion":
        return self._replace(parts=tuple(p._replace(unit_price=prices.get(p.part)) for p in self.parts))

    def summary(self) -> dict[str, str]:
        """The `catalog` object of every `--json` output."""
        return {"contract": self.contract.display_number, "version": self.version,
                "digest": self.digest, "effective": self.effective.isoformat(), "file": self.file}


class Catalog(Record):
    """Every version found in one catalog folder, oldest first."""

    folder: str
    versions: tuple[CatalogVersion, ...]

    def select(self, at: datetime.date | None = None, version: str | None = None) -> CatalogVersion:
        """The pinned version, or the one in force on `at` (today if not given)."""
        if version is not None:
            for v in self.versions:
                if v.version == version:
                    return v
            known = ", ".join(v.version for v in self.versions)
            raise InputError(f"catalog version {version!r} does not exist; versions: {known}")
        at = at or datetime.date.today()
        found = self.in_force(at)
        if found is None:
            first = self.versions[0]
            raise NotInForce(f"no catalog version is in force on {at.isoformat()}: the earliest, "
                             f"{first.version}, takes effect on {first.effective.isoformat()}", at.isoformat())
        return found

    def in_force(self, at: datetime.date) -> "CatalogVersion | None":
        """The one rule of which version is in force: the latest whose effective date is on or before `at`."""
        return max((v for v in self.versions if v.effective <= at), key=lambda v: v.effective, default=None)
