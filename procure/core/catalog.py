"""The catalog: versioned snapshots of the parts, rules and fees of one contract.

Each `*.toml` file in a catalog folder is one complete version with an
`effective` date. `read_catalog_folder` reads and checks every file and returns the
versions with the problems found; `Catalog.select` picks the version in force
on a date or a pinned one.
"""

import datetime
import os
import re
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from procure.core.arguments import PATH, FilePath, expect
from procure.core.characters import printable
from procure.core.digest import digest
from procure.core.errors import CatalogError, InputError, NotInForce
from procure.core.record import Record
from procure.core.tomlschema import Checker, Document, Place, parse_toml, read_bytes
from procure.shipped import shipped_folder

GENERATIONS = (1, 2)
KINDS = ("handpiece", "smart_tip", "cartridge")
RATE_COLUMNS = ("asc", "hopd", "pfs_nonfacility", "pfs_facility")
UNIT_RULES = ("per_nerve", "per_set")
PART_NUMBER = r"[A-Z0-9][A-Z0-9-]{1,29}"
PIID = r"[A-HJ-NP-Z0-9]{6}\d{2}[DFPA][A-HJ-NP-Z0-9]{4}"
MODIFICATION = r"[PA][A-HJ-NP-Z0-9]{5}"
SHIPPED = "shipped"
STATEMENT_NEEDED = ("an assumption with a basis needs the sentence the customer reads (`..._statement`): what the "
                    "quantities assume, in plain words, without the basis")

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
HAZMAT_KEYS = ("un_number", "class", "proper_shipping_name")


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


def _gtin(value: str) -> bool:
    """Whether `value` is a GTIN-8, -12, -13 or -14 whose last digit is its GS1 check digit."""
    if not re.fullmatch(r"\d{8}|\d{12,14}", value):
        return False
    digits = [int(d) for d in value]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - total % 10) % 10 == digits[-1]


def default_folder() -> str:
    """The shipped catalog: inside the installed package, or beside it in a source checkout."""
    return shipped_folder("catalog")


def read_catalog_folder(folder: FilePath | None) -> tuple[Catalog, list[str]]:
    """Read and check every version file of a catalog folder: (catalog, problems)."""
    folder = os.fspath(folder) if folder else default_folder()
    if not os.path.isdir(folder):
        problem = "is a file, not a catalog folder" if os.path.exists(folder) else "catalog folder does not exist"
        return Catalog(folder, ()), [f"{folder}: {problem}"]
    files = sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".toml"))
    if not files:
        return Catalog(folder, ()), [f"{folder}: catalog folder holds no *.toml version file"]
    versions, problems = [], []
    for path in files:
        version, found = _load_version(path)
        problems += found
        if version:
            versions.append(version)
    seen: dict[str, str] = {}
    dates: dict[tuple[str, datetime.date], str] = {}
    for v in versions:
        where = os.path.join(folder, v.file)
        if v.version in seen:
            problems.append(f"{where}: version {v.version!r} is also the version of {seen[v.version]}")
        seen.setdefault(v.version, v.file)
        day = (v.contract.number, v.effective)
        if day in dates:
            problems.append(f"{where}: takes effect on {v.effective}, the same day as {dates[day]}: "
                            f"give each version of a contract its own effective date")
        dates.setdefault(day, v.file)
    versions.sort(key=lambda v: (v.effective, v.version))
    return Catalog(folder, tuple(versions)), problems


def shipped_catalog() -> Catalog:
    """The catalog shipped with procure, every version checked."""
    return load_catalog(None)


def load_catalog(folder: FilePath | None) -> Catalog:
    """The catalog of a folder (None: the shipped one), or CatalogError listing every problem."""
    expect("load_catalog", "folder", folder, PATH)
    catalog, problems = read_catalog_folder(folder)
    if problems:
        raise CatalogError(problems)
    return catalog


def _load_version(path: str) -> tuple[CatalogVersion | None, list[str]]:
    name = printable(path)
    try:
        data = read_bytes(path, "catalog version file")
    except InputError as e:
        return None, e.problems
    try:
        text = data.decode("utf-8-sig")
        document = parse_toml(text, name)
    except UnicodeDecodeError as e:
        return None, [f"{name}: is not UTF-8 text (byte {e.start + 1} cannot be read); save it as UTF-8"]
    except InputError as e:
        return None, e.problems
    reader = _VersionReader(name, text, document)
    version = reader.read(printable(os.path.basename(path)), digest(data))
    return (version if not reader.check.problems else None), reader.check.problems


class _VersionReader:
    """Reads one parsed version file into records, collecting problems as it goes."""

    def __init__(self, name: str, text: str, document: Document):
        self.check = Checker(name, text)
        self.document = document

    def read(self, file: str, digest: str) -> CatalogVersion | None:
        c, doc = self.check, self.document
        c.keys(doc, (), ("catalog", "contract", "part", "compatibility", "prerequisite", "target",
                         "planning", "fees", "delivery"))
        head = c.table(doc, (), "catalog", required=True) or {}
        c.keys(head, ("catalog",), ("version", "effective", "basis"))
        version = c.text(head, ("catalog",), "version", required=True, pattern=r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}",
                         rule="a version name of letters, digits, . _ -")
        effective = c.date(head, ("catalog",), "effective", required=True)
        contract = self._contract(c.table(doc, (), "contract", required=True) or {})
        parts = self._parts(c.tables(doc, (), "part"))
        numbers = {p.part: p for p in parts}
        compatibility = self._compatibility(c.tables(doc, (), "compatibility", required=True), numbers)
        prerequisites = self._prerequisites(c.tables(doc, (), "prerequisite"), numbers)
        fees = self._fees(c.table(doc, (), "fees", required=True) or {})
        planning = self._planning(c.table(doc, (), "planning", required=True) or {}, parts)
        targets = self._targets(c.tables(doc, (), "target"), parts, fees)
        if planning:
            for code in planning.default_nerves:
                if code not in targets:
                    c.fail(("planning", "default_nerves"), f"names nerve {code!r}, which no [[target]] has")
        delivery = self._delivery(c.table(doc, (), "delivery") or {})
        if (c.problems or version is None or effective is None or contract is None or planning is None
                or fees is None):
            return None
        return CatalogVersion(file, version, effective, digest, head.get("basis", ""), contract, tuple(parts),
                              compatibility, prerequisites, targets, planning, fees, delivery)

    def _delivery(self, table: Document) -> Delivery:
        c, at = self.check, ("delivery",)
        c.keys(table, at, ("lead_time_days", "terms", "basis", "assumption"))
        assumption = c.boolean(table, at, "assumption")
        return Delivery(lead_time_days=c.integer(table, at, "lead_time_days", minimum=1, maximum=365),
                        terms=c.text(table, at, "terms") or Delivery().terms, basis=c.text(table, at, "basis") or "",
                        assumption=True if assumption is None else assumption)

    def _contract(self, table: Document) -> Contract | None:
        c, at = self.check, ("contract",)
        c.keys(table, at, ("number", "agency", "program", "vendor", "manufacturer", "period_start",
                           "period_end", "modification", "ordering_office", "ordering_office_basis"))
        number = c.text(table, at, "number", required=True)
        if number is not None:
            number = number.replace("-", "")
            if not re.fullmatch(PIID, number):
                c.fail(at + ("number",), f"{number!r} is not a DoD PIID (13 characters, no I or O, "
                                         f"a D, F, P or A in position 9)")
        start, end = c.date(table, at, "period_start"), c.date(table, at, "period_end")
        if start and end and start > end:
            c.fail(at + ("period_end",), f"{end} is before period_start {start}")
        modification = c.text(table, at, "modification", pattern=MODIFICATION,
                              rule="a modification number such as P00001")
        vendor = c.text(table, at, "vendor", required=True)
        office = c.text(table, at, "ordering_office", pattern=r"[A-Z0-9]{6}",
                        rule="a DoDAAC: 6 characters, A-Z and 0-9, such as SPE2DE")
        return Contract(number or "", c.text(table, at, "agency", required=True) or "",
                        c.text(table, at, "program", required=True) or "", vendor or "",
                        c.text(table, at, "manufacturer") or vendor or "", start, end, modification, office,
                        c.text(table, at, "ordering_office_basis") or "")

    def _parts(self, tables: list[Document]) -> list[Part]:
        c = self.check
        parts: list[Part] = []
        first_line: dict[str, int] = {}
        if not tables:
            c.fail(("part",), "the catalog lists no [[part]]")
        for i, t in enumerate(tables):
            at = ("part", i)
            c.keys(t, at, ("part", "generation", "kind", "description", "unit_of_issue", "units_per_pack", "specs",
                           "product"))
            number = c.text(t, at, "part", required=True, pattern=PART_NUMBER,
                            rule="a part number of capital letters, digits and -")
            generation = c.integer(t, at, "generation", required=True)
            if generation is not None and generation not in GENERATIONS:
                c.fail(at + ("generation",), f"unknown generation {generation}; known: "
                                             f"{', '.join(map(str, GENERATIONS))}")
            kind = c.text(t, at, "kind", required=True)
            if kind is not None and kind not in KINDS:
                c.fail(at + ("kind",), f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
            description = c.text(t, at, "description", required=True)
            unit = c.text(t, at, "unit_of_issue", required=True, pattern=r"[A-Z]{2}",
                          rule="a two-letter DoD unit of issue such as EA or PK")
            per_pack = c.integer(t, at, "units_per_pack", required=True, minimum=1)
            specs = self._specs(c.table(t, at, "specs") or {}, at + ("specs",))
            if kind == "smart_tip" and not specs.tip_model:
                c.fail(at + ("specs",), "a smart_tip needs specs.tip_model")
            if number in first_line:
                c.fail(at + ("part",), f"part number {number} is listed twice "
                                       f"(first as [[part]] #{first_line[number] + 1})")
                continue
            if number:
                first_line[number] = i
            product = self._product(c.table(t, at, "product") or {}, at + ("product",))
            parts.append(Part(number or "", generation or 0, kind or "", description or "", unit or "",
                              per_pack or 1, specs, product=product))
        return parts

    def _specs(self, t: Document, at: Place) -> Specs:
        c = self.check
        c.keys(t, at, ("tip_model", "needles", "needle_length_mm", "gauge", "nerve_stim", "note"))
        return Specs(c.text(t, at, "tip_model"), c.integer(t, at, "needles", minimum=1),
                     c.number(t, at, "needle_length_mm", minimum=0, maximum=1000),
                     c.integer(t, at, "gauge", minimum=1), c.boolean(t, at, "nerve_stim"), c.text(t, at, "note"))

    def _product(self, t: Document, at: Place) -> dict[str, Fact]:
        """`[part.product]`: each known value as `{ value = ..., basis = "..." }` (hazmat: un_number, class,
        proper_shipping_name and basis); a value no source states is left out."""
        c, facts = self.check, {}
        c.keys(t, at, tuple(PRODUCT_FIELDS))  # facts: dict[str, Fact]
        for key in PRODUCT_FIELDS:
            entry = c.table(t, at, key)
            if entry is None:
                continue
            where = at + (key,)
            names = HAZMAT_KEYS if key == "hazmat" else ("value",)
            c.keys(entry, where, (*names, "basis"))
            basis = c.text(entry, where, "basis", required=True)
            if key == "shelf_life_months":
                months = c.integer(entry, where, "value", required=True, minimum=1, maximum=600)
                values = {"value": str(months) if months else None}
            else:
                values = {name: c.text(entry, where, name, required=True) for name in names}
            value = values.get("value")
            if key == "udi_di" and value and not _gtin(value):
                c.fail(where + ("value",), f"{value!r} is not a GTIN: 8, 12, 13 or 14 digits with a good check digit")
            if key == "nsn" and value:
                digits = value.replace("-", "")
                if not re.fullmatch(r"\d{13}", digits):
                    c.fail(where + ("value",), f"{value!r} is not an NSN: 13 digits such as 6515-01-234-5678")
                else:
                    value = f"{digits[:4]}-{digits[4:6]}-{digits[6:9]}-{digits[9:]}"
            if key == "sds_url" and value and not value.startswith("https://"):
                c.fail(where + ("value",), f"{value!r} is not an https:// address")
            un_number = values.get("un_number")
            if key == "hazmat" and un_number and not re.fullmatch(r"UN\d{4}", un_number):
                c.fail(where + ("un_number",), f"{un_number!r} is not a UN number such as UN1070")
            if key == "hazmat":
                value = (f"{values['un_number']}, class {values['class']}, {values['proper_shipping_name']}"
                         if all(values.values()) else None)
            if value and basis:
                detail = tuple((k, v or "") for k, v in values.items()) if key == "hazmat" else ()
                facts[key] = Fact(value, basis, detail)
        return facts

    def _compatibility(self, tables: list[Document], numbers: dict[str, Part]) -> tuple[Compatibility, ...]:
        c, rows = self.check, []
        for i, t in enumerate(tables):
            at = ("compatibility", i)
            c.keys(t, at, ("handpiece", "accepts", "reason", "assumption", "basis"))
            handpiece = c.text(t, at, "handpiece", required=True)
            if handpiece and getattr(numbers.get(handpiece), "kind", None) != "handpiece":
                c.fail(at + ("handpiece",), f"{handpiece} is not a handpiece of this catalog")
            accepts = c.text_list(t, at, "accepts", required=True) or []
            for number in accepts:
                if number not in numbers:
                    c.fail(at + ("accepts",), f"names part {number}, which is not in this catalog")
                elif numbers[number].kind == "handpiece":
                    c.fail(at + ("accepts",), f"names {number}, a handpiece: list tips and cartridges")
            rows.append(Compatibility(handpiece or "", tuple(accepts), c.text(t, at, "reason", required=True) or "",
                                      bool(c.boolean(t, at, "assumption")), c.text(t, at, "basis") or ""))
        accepted = {n for row in rows for n in row.accepts}
        for number, part in numbers.items():
            if part.kind != "handpiece" and number not in accepted:
                c.fail(("compatibility",), f"no handpiece accepts {number}: add it to a [[compatibility]] row")
        return tuple(rows)

    def _prerequisites(self, tables: list[Document], numbers: dict[str, Part]) -> tuple[Prerequisite, ...]:
        c, rows = self.check, []
        for i, t in enumerate(tables):
            at = ("prerequisite", i)
            c.keys(t, at, ("part", "code", "requires", "basis"))
            number = c.text(t, at, "part", required=True)
            if number and number not in numbers:
                c.fail(at + ("part",), f"names part {number}, which is not in this catalog")
            code = c.text(t, at, "code", required=True, pattern=r"[a-z][a-z0-9-]{2,40}",
                          rule="a finding code of lower-case letters, digits and -")
            rows.append(Prerequisite(number or "", code or "", c.text(t, at, "requires", required=True) or "",
                                     c.text(t, at, "basis") or ""))
        return tuple(rows)

    def _targets(self, tables: list[Document], parts: list[Part], fees: "Fees | None") -> dict[str, NerveTarget]:
        c = self.check
        targets: dict[str, NerveTarget] = {}
        models = {p.specs.tip_model for p in parts if p.kind == "smart_tip"}
        if not tables:
            c.fail(("target",), "the catalog lists no [[target]] nerve")
        for i, t in enumerate(tables):
            at = ("target", i)
            c.keys(t, at, ("code", "name", "region", "tip_model", "cpt"))
            code = c.text(t, at, "code", required=True)
            model = c.text(t, at, "tip_model", required=True)
            cpt = c.text(t, at, "cpt", required=True)
            if model and model not in models:
                c.fail(at + ("tip_model",), f"tip model {model!r} is not the tip_model of any smart_tip part")
            if cpt and fees and cpt not in fees.codes:
                c.fail(at + ("cpt",), f"CPT {cpt} has no [[fees.code]] entry")
            if code in targets:
                c.fail(at + ("code",), f"nerve code {code} is listed twice")
            elif code:
                targets[code] = NerveTarget(code, c.text(t, at, "name", required=True) or "",
                                            c.text(t, at, "region", required=True) or "", model or "", cpt or "")
        return targets

    def _planning(self, t: Document, parts: list[Part]) -> Planning | None:
        c, at = self.check, ("planning",)
        c.keys(t, at, ("tips_per_procedure", "tips_basis", "tips_statement", "tip_model_basis", "tip_model_statement",
                       "cartridges_per_procedure", "cartridges_basis", "cartridges_statement", "default_nerves",
                       "default_nerves_basis", "default_nerves_statement"))
        tips = c.table(t, at, "tips_per_procedure", required=True) or {}
        per_model: dict[str, int] = {}
        for model in tips:
            value = c.integer(tips, at + ("tips_per_procedure",), model, minimum=1, maximum=100)
            if value:
                per_model[model] = value
        for model in sorted({p.specs.tip_model for p in parts if p.kind == "smart_tip" and p.specs.tip_model}):
            if model not in tips:
                c.fail(at + ("tips_per_procedure",), f"has no entry for tip model {model!r}")
        basis = c.table(t, at, "tips_basis") or {}
        said = c.table(t, at, "tips_statement") or {}
        for model in basis:
            if model not in said:
                c.fail(at + ("tips_statement",), f"has no entry for tip model {model!r}: {STATEMENT_NEEDED}")
        for name in ("tip_model", "cartridges", "default_nerves"):
            if t.get(f"{name}_basis") and not t.get(f"{name}_statement"):
                c.fail(at + (f"{name}_statement",), STATEMENT_NEEDED)
        return Planning(per_model, {k: str(v) for k, v in basis.items()}, c.text(t, at, "tip_model_basis") or "",
                        c.integer(t, at, "cartridges_per_procedure", required=True, minimum=1, maximum=100) or 1,
                        c.text(t, at, "cartridges_basis") or "", tuple(c.text_list(t, at, "default_nerves") or ()),
                        c.text(t, at, "default_nerves_basis") or "", {k: str(v) for k, v in said.items()},
                        c.text(t, at, "tip_model_statement") or "", c.text(t, at, "cartridges_statement") or "",
                        c.text(t, at, "default_nerves_statement") or "")

    def _fees(self, t: Document) -> Fees | None:
        c, at = self.check, ("fees",)
        c.keys(t, at, ("as_of", "source", "conversion_factor", "disclaimers", "sites", "code"))
        sites: dict[str, Site] = {}
        site_table = c.table(t, at, "sites", required=True) or {}
        for name, value in site_table.items():
            where: Place = at + ("sites", name)
            if not isinstance(value, dict):
                c.fail(where, "must be a table such as { column = \"asc\", label = \"...\" }")
                continue
            c.keys(value, where, ("column", "label"))
            column = c.text(value, where, "column", required=True)
            if column and column not in RATE_COLUMNS:
                c.fail(where + ("column",), f"unknown rate column {column!r}; known: {', '.join(RATE_COLUMNS)}")
            sites[name] = Site(name, column or "", c.text(value, where, "label", required=True) or "")
        codes: dict[str, FeeCode] = {}
        for i, row in enumerate(c.tables(t, at, "code", required=True)):
            where = at + ("code", i)
            c.keys(row, where, ("cpt", "description", "apc", "apc_name", *RATE_COLUMNS, "rvu_nonfacility",
                                "rvu_facility", "units", "max_units", "set", "rule"))
            cpt = c.text(row, where, "cpt", required=True, pattern=r"\d{4}[0-9A-Z]", rule="a 5-character CPT code")
            units = c.text(row, where, "units", required=True)
            if units and units not in UNIT_RULES:
                c.fail(where + ("units",), f"unknown unit rule {units!r}; known: {', '.join(UNIT_RULES)}")
            rates = {col: rate for col in RATE_COLUMNS
                     if (rate := c.number(row, where, col, required=True, minimum=0, maximum=10**6)) is not None}
            if cpt in codes:
                c.fail(where + ("cpt",), f"CPT {cpt} is listed twice")
            elif cpt:
                codes[cpt] = FeeCode(cpt, c.text(row, where, "description", required=True) or "",
                                     c.text(row, where, "apc") or "", c.text(row, where, "apc_name") or "",
                                     rates, c.number(row, where, "rvu_nonfacility") or Decimal(0),
                                     c.number(row, where, "rvu_facility") or Decimal(0), units or "",
                                     c.integer(row, where, "max_units", minimum=1),
                                     tuple(c.text_list(row, where, "set") or ()), c.text(row, where, "rule") or "")
        as_of = c.date(t, at, "as_of", required=True) or datetime.date.min  # missing: a problem, and the version unused
        return Fees(as_of, c.text(t, at, "source", required=True) or "",
                    c.number(t, at, "conversion_factor") or Decimal(0),
                    tuple(c.text_list(t, at, "disclaimers", unique=False) or ()), sites, codes)
